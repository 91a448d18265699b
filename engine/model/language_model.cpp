#include "chatbench/language_model.h"

#include "chatbench/error.h"
#include "model/device.h"
#include "model/encoder_decoder_checkpoint.h"
#include "model/hf_checkpoint.h"
#include "model/language_model_impl.h"
#include "model/lm_loss.h"

#include <c10/core/InferenceMode.h>

namespace chatbench {

void checkTokenIds(const std::vector<std::int32_t> &ids, const Gpt2Config &config, const char *what)
{
    if (ids.empty())
        throw Error(std::string(what) + " is empty");
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (ids[i] < 0 || ids[i] >= config.vocabSize)
            throw Error(std::string(what) + ": token id " + std::to_string(ids[i]) + " at position "
                + std::to_string(i) + " is outside the vocabulary (0.."
                + std::to_string(config.vocabSize - 1) + ")");
}

namespace {

std::vector<std::int64_t> widen(const std::vector<std::int32_t> &ids)
{
    return { ids.begin(), ids.end() };
}

} // namespace

LanguageModel::LanguageModel(std::unique_ptr<Impl> impl) : d(std::move(impl))
{ }
LanguageModel::LanguageModel(LanguageModel &&) noexcept = default;
LanguageModel &LanguageModel::operator=(LanguageModel &&) noexcept = default;
LanguageModel::~LanguageModel() = default;

LanguageModel LanguageModel::load(const std::filesystem::path &dir, CheckpointReport *report)
{
    if (isEncoderDecoderCheckpoint(dir))
        return LanguageModel(std::make_unique<Impl>(loadEncoderDecoderCheckpoint(dir, report)));
    return LanguageModel(std::make_unique<Impl>(loadGpt2Checkpoint(dir, report)));
}

LanguageModel LanguageModel::create(const Gpt2Config &config, std::uint64_t seed)
{
    config.validate();
    Gpt2LMHeadModel model(config);
    model->initWeights(seed);
    model->eval();
    return LanguageModel(std::make_unique<Impl>(std::move(model)));
}

void LanguageModel::toDevice(const std::string &device)
{
    requireDevice(device);
    d->module().to(torchDevice(device));
}

std::string LanguageModel::device() const
{
    return moduleDevice(d->module()).str();
}

void LanguageModel::save(const std::filesystem::path &dir) const
{
    if (d->encoderDecoder)
        saveEncoderDecoderCheckpoint(*d->encoderDecoder, dir);
    else
        saveGpt2Checkpoint(*d->model, dir);
}

const Gpt2Config &LanguageModel::config() const
{
    return d->model->config();
}

bool LanguageModel::isEncoderDecoder() const
{
    return bool(d->encoderDecoder);
}

std::int64_t LanguageModel::parameterCount() const
{
    if (!d->encoderDecoder)
        return config().parameterCount();
    std::int64_t n = 0;
    for (const auto &p : d->encoderDecoder->parameters())
        n += p.numel();
    return n;
}

TokenScores LanguageModel::score(
    const std::vector<std::int32_t> &ids, const std::vector<std::int32_t> *labels) const
{
    if (d->encoderDecoder)
        throw Error("score: an encoder-decoder model reads a history and a response; evaluate "
                    "it on a token cache (eval --data) instead");
    const Gpt2Config &c = config();
    checkTokenIds(ids, c, "ids");
    if (std::int64_t(ids.size()) > c.nPositions)
        throw Error("ids: " + std::to_string(ids.size()) + " tokens exceed the model's context of "
            + std::to_string(c.nPositions) + " (n_positions)");
    if (labels && labels->size() != ids.size())
        throw Error("labels: " + std::to_string(labels->size()) + " labels for "
            + std::to_string(ids.size()) + " ids");

    c10::InferenceMode inference;
    const bool wasTraining = d->model->is_training();
    d->model->eval();
    auto input = torch::tensor(widen(ids), torch::kLong).unsqueeze(0);
    auto target = labels ? torch::tensor(widen(*labels), torch::kLong).unsqueeze(0) : input;
    // Scored on the CPU side: the logits of one sequence are small, and the figures must not
    // depend on where the model runs.
    auto logits = d->model->forward(input.to(moduleDevice(*d->model))).to(torch::kCPU); // (1, T, V)
    d->model->train(wasTraining);

    TokenScores out;
    auto last = logits[0][ids.size() - 1].contiguous();
    out.lastLogits.assign(last.data_ptr<float>(), last.data_ptr<float>() + last.numel());
    auto argmax = logits[0].argmax(-1).to(torch::kInt).contiguous();
    out.argmax.assign(argmax.data_ptr<int>(), argmax.data_ptr<int>() + argmax.numel());
    LmLoss lm = causalLmLoss(logits, target);
    out.nCorrect = lm.nCorrect;
    out.nCounted = lm.nCounted;
    if (lm.nCounted > 0) {
        out.loss = lm.loss.item<double>();
        out.accuracy = double(lm.nCorrect) / double(lm.nCounted);
    }
    return out;
}

} // namespace chatbench
