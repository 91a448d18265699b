#pragma once
// GPT-2 hyper-parameters as Hugging Face's GPT2Config names them in config.json. The defaults
// are a real model: ckiplab/gpt2-base-chinese (GPT-2 base with the bert-base-chinese vocab).

#include <cstdint>
#include <filesystem>
#include <string>

namespace chatbench {

struct Gpt2Config
{
    std::int64_t vocabSize = 21128; // bert-base-chinese WordPiece
    std::int64_t nPositions = 1024;
    std::int64_t nEmbd = 768;
    std::int64_t nLayer = 12;
    std::int64_t nHead = 12;
    std::int64_t nInner = 0; // 0 = 4 * nEmbd (HF writes null)
    std::string activation = "gelu_new"; // gelu_new | gelu_pytorch_tanh | gelu | relu | silu
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
    // How the model was trained to see a dialogue (DialogueLayout::kindName: "chitchat" or
    // "cdial"), so a chat prompts it the same way. ChatBench's own config.json key
    // ("chatbench_dialogue_layout", written when not chitchat); transformers keeps unknown keys.
    std::string dialogueLayout = "chitchat";

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
