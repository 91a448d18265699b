#include "model/encoder_decoder_checkpoint.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "io/json_file.h"
#include "io/safetensors.h"
#include "model/hf_checkpoint.h"

namespace chatbench {
namespace {

const char *const kModelType = "encoder-decoder";
// Stored copies of the shared embedding that other writers may include.
const char *const kTiedNames[] = { "encoder.wte.weight", "decoder.lm_head.weight" };

nlohmann::json halfConfig(const Gpt2Config &config, bool isDecoder)
{
    nlohmann::json j = nlohmann::json::parse(config.toJsonText());
    j["is_decoder"] = isDecoder;
    j["architectures"] = { isDecoder ? "GPT2LMHeadModel" : "GPT2Model" };
    return j;
}

Gpt2Config readHalf(const nlohmann::json &root, const char *key, const std::filesystem::path &file)
{
    if (!root.contains(key) || !root[key].is_object())
        throw Error::inFile(
            file, std::string("field '") + key + "': expected a GPT-2 config object");
    return Gpt2Config::fromJsonText(root[key].dump(), file.string() + " (" + key + ")");
}

} // namespace

bool isEncoderDecoderCheckpoint(const std::filesystem::path &dir)
{
    try {
        const auto configFile = dir / "config.json";
        if (!std::filesystem::is_regular_file(configFile))
            return false;
        const nlohmann::json j = readJsonFile(configFile);
        return j.is_object() && j.value("model_type", std::string()) == kModelType;
    } catch (const std::exception &) {
        return false;
    }
}

void saveEncoderDecoderCheckpoint(Gpt2EncoderDecoderImpl &model, const std::filesystem::path &dir)
{
    writeModelWeights(model, dir);

    const Gpt2Config &decoder = model.decoderConfig();
    const nlohmann::json config = {
        { "architectures", { "EncoderDecoderModel" } },
        { "model_type", kModelType },
        { "is_encoder_decoder", true },
        { "encoder", halfConfig(model.encoderConfig(), false) },
        { "decoder", halfConfig(decoder, true) },
        // The response starts with [CLS] and ends with [SEP], as GPT2-chitchat's utterances.
        { "decoder_start_token_id", decoder.bosTokenId },
        { "bos_token_id", decoder.bosTokenId },
        { "eos_token_id", decoder.eosTokenId },
        { "pad_token_id", decoder.padTokenId },
        { "vocab_size", decoder.vocabSize },
        { "tie_encoder_decoder", false },
        { "tie_encoder_decoder_embeddings", true },
        { "torch_dtype", "float32" },
    };
    writeFileAtomically(dir / "config.json", config.dump(2) + "\n");
}

Gpt2EncoderDecoder loadEncoderDecoderCheckpoint(
    const std::filesystem::path &dir, CheckpointReport *report)
{
    const auto weightsFile = findWeightsFile(dir);
    const auto configFile = dir / "config.json";
    if (!std::filesystem::exists(configFile))
        throw Error::inFile(configFile, "missing (a checkpoint folder needs config.json)");
    const nlohmann::json root = readJsonFile(configFile);
    const auto modelType = jsonField<std::string>(root, "model_type", "", configFile);
    if (modelType != kModelType)
        throw Error::inFile(configFile,
            "field 'model_type': '" + modelType + "' is not an encoder-decoder (expected '"
                + kModelType + "')");
    Gpt2EncoderDecoder model(
        readHalf(root, "encoder", configFile), readHalf(root, "decoder", configFile));

    CheckpointReport local;
    CheckpointReport &r = report ? *report : local;
    r.weightsFile = weightsFile;
    auto tensors = readStateDict(weightsFile, r);
    std::vector<torch::Tensor> tiedCopies;
    for (const char *name : kTiedNames) {
        auto it = tensors.find(name);
        if (it == tensors.end())
            continue;
        r.lmHeadStored = r.lmHeadStored || std::string(name) == "decoder.lm_head.weight";
        tiedCopies.push_back(it->second);
        tensors.erase(it);
    }
    copyNamedTensors(*model, tensors, weightsFile, &r.unexpected);
    const auto &wte = model->decoder->transformer->wte->weight;
    for (const auto &copy : tiedCopies)
        if (copy.sizes() != wte.sizes() || !torch::allclose(copy, wte)) {
            r.warnings.push_back("a stored copy of the token embedding differs from "
                                 "decoder.transformer.wte.weight; ChatBench shares one embedding");
            break;
        }
    if (!r.unexpected.empty())
        r.warnings.push_back(std::to_string(r.unexpected.size())
            + " tensor(s) not used by the encoder-decoder (first: " + r.unexpected.front() + ")");
    model->eval();
    return model;
}

} // namespace chatbench
