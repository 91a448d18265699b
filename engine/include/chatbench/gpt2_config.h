#pragma once
// GPT-2 hyper-parameters as Hugging Face's GPT2Config names them in config.json. The defaults
// are a real model: ckiplab/gpt2-base-chinese (GPT-2 base with the bert-base-chinese vocab).

#include "chatbench/dialogue_layout.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace chatbench {

// The MLP's activation, as config.json's "activation_function" names it. gelu_new and
// gelu_pytorch_tanh are the same function; both are kept so a config round-trips unchanged.
enum class Activation { GeluNew, GeluPytorchTanh, Gelu, Relu, Silu };
const char *toString(Activation activation); // "gelu_new", ...
// Throws chatbench::Error naming the supported activations.
Activation parseActivation(std::string_view name);

// How the encoder of a GPT-2 + Transformer built from a pretrained GPT-2 starts: HF's
// initialisation, or a copy of the checkpoint's blocks, wpe and ln_f.
enum class EncoderInit { Scratch, Blocks };
const char *toString(EncoderInit init); // "scratch", "blocks"
EncoderInit parseEncoderInit(std::string_view name);

struct Gpt2Config
{
    std::int64_t vocabSize = 21128; // bert-base-chinese WordPiece
    std::int64_t nPositions = 1024;
    std::int64_t nEmbd = 768;
    std::int64_t nLayer = 12;
    std::int64_t nHead = 12;
    std::int64_t nInner = 0; // 0 = 4 * nEmbd (HF writes null)
    Activation activation = Activation::GeluNew;
    double layerNormEpsilon = 1e-5;
    double residPdrop = 0.1;
    double embdPdrop = 0.1;
    double attnPdrop = 0.1;
    double initializerRange = 0.02;
    std::int64_t bosTokenId = 101; // [CLS] in the BERT vocab, as ckiplab's config says
    std::int64_t eosTokenId = 102; // [SEP]
    std::int64_t padTokenId = 0; // [PAD]; HF leaves it unset, GPT2-chitchat pads with 0
    bool scaleAttnWeights = true;
    bool scaleAttnByInverseLayerIdx = false;
    // Each block also attends to an encoder's output (HF's add_cross_attention): the decoder of
    // the GPT-2 + Transformer encoder-decoder.
    bool addCrossAttention = false;
    // How the model was trained to see a dialogue, so a chat prompts it the same way.
    // ChatBench's own config.json key ("chatbench_dialogue_layout", written when not chitchat);
    // transformers keeps unknown keys.
    DialogueLayout::Kind dialogueLayout = DialogueLayout::Kind::Chitchat;

    std::int64_t innerDim() const { return nInner > 0 ? nInner : 4 * nEmbd; }
    std::int64_t headDim() const { return nEmbd / nHead; }
    // Parameters including both embeddings (lm_head is tied, counted once).
    std::int64_t parameterCount() const;

    // Throws chatbench::Error naming the field when a value is out of range or inconsistent;
    // origin names the file in the message.
    void validate(const std::filesystem::path &origin = "config") const;

    // The size presets ChatBench offers, all with n_positions 1024: "tiny" (4 layers, 4 heads,
    // 256 wide, vocab 8000: CPU demos), "small" (6/8/512, vocab 13317), "base" (12/12/768, vocab
    // 21128: the ckiplab size). Throws chatbench::Error for another name.
    static Gpt2Config preset(const std::string &name);

    // config.json <-> Gpt2Config. Unknown keys are ignored; a wrong type or an unsupported
    // setting (e.g. reorder_and_upcast_attn) is an error naming the file and the field.
    static Gpt2Config fromJsonFile(const std::filesystem::path &file);
    static Gpt2Config fromJsonText(const std::string &text, const std::filesystem::path &origin);
    // The config.json Hugging Face transformers loads as GPT2Config / GPT2LMHeadModel.
    std::string toJsonText() const;
};

} // namespace chatbench
