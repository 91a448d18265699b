#include "chatbench/gpt2_config.h"

#include "chatbench/atomic_file.h"
#include "chatbench/dialogue_layout.h"
#include "chatbench/error.h"
#include "io/enum_names.h"
#include "io/json_file.h"

namespace chatbench {
namespace {

constexpr EnumName<Activation> activations[] = { { Activation::GeluNew, "gelu_new" },
    { Activation::GeluPytorchTanh, "gelu_pytorch_tanh" }, { Activation::Gelu, "gelu" },
    { Activation::Relu, "relu" }, { Activation::Silu, "silu" } };
constexpr EnumName<EncoderInit> encoderInits[]
    = { { EncoderInit::Scratch, "scratch" }, { EncoderInit::Blocks, "blocks" } };

[[noreturn]] void badField(
    const std::filesystem::path &origin, const char *field, const std::string &what)
{
    throw Error::inFile(origin, std::string("field '") + field + "': " + what);
}

// Parameters including both embeddings, in T: std::int64_t for the count, double to check that
// the sizes of a config.json do not overflow it.
template<typename T>
T countParameters(T vocab, T positions, T layers, T d, T f, bool cross)
{
    const T perBlock = 2 * 2 * d // ln_1, ln_2
        + d * 3 * d + 3 * d // c_attn
        + d * d + d // attn.c_proj
        + d * f + f // c_fc
        + f * d + d; // mlp.c_proj
    const T crossPerBlock = cross ? 2 * d // ln_cross_attn
            + d * d + d // q_attn
            + d * 2 * d + 2 * d // c_attn (k | v)
            + d * d + d // c_proj
                                  : T(0);
    return vocab * d + positions * d + layers * (perBlock + crossPerBlock) + 2 * d;
}

} // namespace

const char *toString(Activation activation)
{
    return enumName(activations, activation);
}

Activation parseActivation(std::string_view name)
{
    return parseEnumName(activations, name, "activation");
}

const char *toString(EncoderInit init)
{
    return enumName(encoderInits, init);
}

EncoderInit parseEncoderInit(std::string_view name)
{
    return parseEnumName(encoderInits, name, "encoder init");
}

std::int64_t Gpt2Config::parameterCount() const
{
    return countParameters<std::int64_t>(
        vocabSize, nPositions, nLayer, nEmbd, innerDim(), addCrossAttention);
}

void Gpt2Config::validate(const std::filesystem::path &origin) const
{
    auto positive = [&](const char *field, std::int64_t v) {
        if (v <= 0)
            badField(origin, field, "must be positive, got " + std::to_string(v));
    };
    positive("vocab_size", vocabSize);
    positive("n_positions", nPositions);
    positive("n_embd", nEmbd);
    positive("n_layer", nLayer);
    positive("n_head", nHead);
    if (nInner < 0)
        badField(origin, "n_inner", "must be positive or null, got " + std::to_string(nInner));
    if (nEmbd % nHead != 0)
        badField(origin, "n_head",
            std::to_string(nHead) + " does not divide n_embd " + std::to_string(nEmbd));
    // Sizes no model can have, whose parameter count overflows 64 bits (found by fuzzing).
    const double inner = nInner > 0 ? double(nInner) : 4.0 * double(nEmbd);
    const double count = countParameters<double>(double(vocabSize), double(nPositions),
        double(nLayer), double(nEmbd), inner, addCrossAttention);
    if (!(count < 0x1p62))
        throw Error::inFile(origin,
            "the sizes (vocab_size, n_positions, n_embd, n_inner, n_layer) give over 2^62 "
            "parameters");
    if (!(layerNormEpsilon > 0))
        badField(origin, "layer_norm_epsilon", "must be positive");
    for (auto [field, p] : { std::pair { "resid_pdrop", residPdrop },
             std::pair { "embd_pdrop", embdPdrop }, std::pair { "attn_pdrop", attnPdrop } })
        if (!(p >= 0 && p < 1))
            badField(origin, field, "must be in [0, 1), got " + std::to_string(p));
    for (auto [field, id] : { std::pair { "bos_token_id", bosTokenId },
             std::pair { "eos_token_id", eosTokenId }, std::pair { "pad_token_id", padTokenId } })
        if (id >= vocabSize)
            badField(origin, field,
                std::to_string(id) + " is outside the vocabulary (vocab_size "
                    + std::to_string(vocabSize) + ")");
}

Gpt2Config Gpt2Config::preset(const std::string &name)
{
    Gpt2Config c; // the defaults are "base"
    if (name == "tiny") {
        c.nLayer = 4, c.nHead = 4, c.nEmbd = 256, c.vocabSize = 8000;
    } else if (name == "small") {
        c.nLayer = 6, c.nHead = 8, c.nEmbd = 512, c.vocabSize = 13317;
    } else if (name != "base") {
        throw Error("unknown model preset '" + name + "' (expected tiny, small or base)");
    }
    return c;
}

Gpt2Config Gpt2Config::fromJsonFile(const std::filesystem::path &file)
{
    return fromJsonText(readSmallFile(file), file);
}

Gpt2Config Gpt2Config::fromJsonText(const std::string &text, const std::filesystem::path &origin)
{
    const nlohmann::json j = parseJson(text, origin);
    if (!j.is_object())
        throw Error::inFile(
            origin, "expected a JSON object (a GPT2Config), got " + std::string(j.type_name()));
    const std::string modelType = jsonField<std::string>(j, "model_type", "gpt2", origin);
    if (modelType != "gpt2")
        badField(
            origin, "model_type", "'" + modelType + "' is not a GPT-2 model (expected 'gpt2')");

    Gpt2Config c;
    c.vocabSize = jsonField<long>(j, "vocab_size", c.vocabSize, origin);
    c.nPositions = jsonField<long>(j, "n_positions", c.nPositions, origin);
    c.nEmbd = jsonField<long>(j, "n_embd", c.nEmbd, origin);
    c.nLayer = jsonField<long>(j, "n_layer", c.nLayer, origin);
    c.nHead = jsonField<long>(j, "n_head", c.nHead, origin);
    c.nInner = jsonField<long>(j, "n_inner", 0L, origin);
    const std::string activation
        = jsonField<std::string>(j, "activation_function", toString(c.activation), origin);
    try {
        c.activation = parseActivation(activation);
    } catch (const Error &) {
        badField(origin, "activation_function",
            "unsupported '" + activation
                + "' (ChatBench supports gelu_new, gelu_pytorch_tanh, gelu, relu, silu)");
    }
    c.layerNormEpsilon = jsonField<double>(j, "layer_norm_epsilon", c.layerNormEpsilon, origin);
    c.residPdrop = jsonField<double>(j, "resid_pdrop", c.residPdrop, origin);
    c.embdPdrop = jsonField<double>(j, "embd_pdrop", c.embdPdrop, origin);
    c.attnPdrop = jsonField<double>(j, "attn_pdrop", c.attnPdrop, origin);
    c.initializerRange = jsonField<double>(j, "initializer_range", c.initializerRange, origin);
    c.bosTokenId = jsonField<long>(j, "bos_token_id", c.bosTokenId, origin);
    c.eosTokenId = jsonField<long>(j, "eos_token_id", c.eosTokenId, origin);
    c.padTokenId = jsonField<long>(j, "pad_token_id", c.padTokenId, origin);
    c.scaleAttnWeights = jsonField<bool>(j, "scale_attn_weights", true, origin);
    c.scaleAttnByInverseLayerIdx
        = jsonField<bool>(j, "scale_attn_by_inverse_layer_idx", false, origin);
    c.addCrossAttention = jsonField<bool>(j, "add_cross_attention", false, origin);
    try {
        c.dialogueLayout = DialogueLayout::parseKind(jsonField<std::string>(
            j, "chatbench_dialogue_layout", DialogueLayout::kindName(c.dialogueLayout), origin));
    } catch (const Error &e) {
        badField(origin, "chatbench_dialogue_layout", e.what());
    }
    if (jsonField<bool>(j, "reorder_and_upcast_attn", false, origin))
        badField(origin, "reorder_and_upcast_attn", "true is not supported");
    c.validate(origin);
    return c;
}

std::string Gpt2Config::toJsonText() const
{
    nlohmann::json j = {
        { "architectures", { "GPT2LMHeadModel" } },
        { "model_type", "gpt2" },
        { "vocab_size", vocabSize },
        { "n_positions", nPositions },
        { "n_ctx", nPositions },
        { "n_embd", nEmbd },
        { "n_layer", nLayer },
        { "n_head", nHead },
        { "n_inner", nInner > 0 ? nlohmann::json(nInner) : nlohmann::json(nullptr) },
        { "activation_function", toString(activation) },
        { "layer_norm_epsilon", layerNormEpsilon },
        { "resid_pdrop", residPdrop },
        { "embd_pdrop", embdPdrop },
        { "attn_pdrop", attnPdrop },
        { "initializer_range", initializerRange },
        { "bos_token_id", bosTokenId },
        { "eos_token_id", eosTokenId },
        { "pad_token_id", padTokenId },
        { "scale_attn_weights", scaleAttnWeights },
        { "scale_attn_by_inverse_layer_idx", scaleAttnByInverseLayerIdx },
        { "reorder_and_upcast_attn", false },
        { "add_cross_attention", addCrossAttention },
        { "torch_dtype", "float32" },
        { "use_cache", true },
    };
    if (dialogueLayout != DialogueLayout::Kind::Chitchat)
        j["chatbench_dialogue_layout"] = DialogueLayout::kindName(dialogueLayout);
    return j.dump(2) + "\n";
}

} // namespace chatbench
