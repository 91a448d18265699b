#include "generate/sampler.h"

#include "chatbench/error.h"
#include "generate/incremental_decoder.h"
#include "generate/logits_processors.h"

#include <ATen/CPUGeneratorImpl.h>
#include <algorithm>
#include <c10/core/InferenceMode.h>
#include <chrono>
#include <cmath>

namespace chatbench {

Sampler::Sampler(LanguageModel::Impl &model, const SamplingOptions &options)
    : m_model(model), m_options(options)
{ }

bool Sampler::isStop(std::int64_t id) const
{
    const auto &stops = m_options.stopIds;
    return std::find(stops.begin(), stops.end(), id) != stops.end();
}

void Sampler::process(
    torch::Tensor &logits, const std::vector<std::int64_t> &sequence, int nGenerated) const
{
    const SamplingOptions &o = m_options;
    applyRepetitionPenalty(logits, sequence, o.repetitionPenalty);
    banRepeatedNgrams(logits, sequence, o.noRepeatNgramSize);
    banIds(logits, o.bannedIds);
    if (nGenerated < o.minNewTokens)
        banIds(logits, o.stopIds);
    if (o.temperature == 0)
        return;
    applyTemperature(logits, o.temperature);
    keepTopK(logits, o.topK);
    keepTopP(logits, o.topP);
}

std::int64_t Sampler::choose(const torch::Tensor &processed, at::Generator &generator) const
{
    // The maximum and the greedy choice over the raw buffer: at batch 1 each dispatched torch
    // reduction and .item() cost more than the loop. NaN counts as the maximum, as torch's max.
    TORCH_CHECK(processed.dim() == 1 && processed.scalar_type() == torch::kFloat
            && processed.is_contiguous(),
        "logits must be a contiguous 1-D float32 tensor");
    const float *v = processed.data_ptr<float>();
    std::int64_t best = 0;
    bool nan = false;
    for (std::int64_t i = 0; i < processed.size(0); ++i) {
        nan = nan || std::isnan(v[i]);
        if (v[i] > v[best]) // the first of equal maxima, as torch's argmax
            best = i;
    }
    if (nan || !std::isfinite(v[best]))
        throw Error("sampling: every token is banned at this step");
    if (m_options.temperature == 0)
        return best;
    return processed.softmax(0)
        .multinomial(1, /*replacement=*/false, generator)
        .item<std::int64_t>();
}

Generation Sampler::run(const std::vector<std::int64_t> &prompt, int candidate,
    const TokenCallback &onToken, const std::atomic<bool> *cancel)
{
    using Clock = std::chrono::steady_clock;
    c10::InferenceMode inference;
    const auto started = Clock::now();
    auto generator
        = at::make_generator<at::CPUGeneratorImpl>(m_options.seed + std::uint64_t(candidate));
    std::unique_ptr<NextTokenLogits> source;
    if (m_model.encoderDecoder)
        source = std::make_unique<EncoderDecoderReply>(*m_model.encoderDecoder);
    else
        source = std::make_unique<IncrementalDecoder>(*m_model.model, m_options.useCache,
            m_options.fastStep, m_options.precision == Precision::Bf16);
    NextTokenLogits &decoder = *source;
    Generation out;
    const auto cancelRequested = [&] { return cancel && cancel->load(); };
    if (m_options.maxNewTokens == 0)
        return out;
    if (cancelRequested()) {
        out.stopReason = StopReason::Cancelled;
        m_cancelled = true;
        return out;
    }
    auto logits = decoder.start(prompt);
    for (int step = 0;; ++step) {
        process(logits, decoder.sequence(), step);
        const std::int64_t id = choose(logits, generator);
        out.tokenMs.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - started).count());
        const bool stop = isStop(id);
        if (!stop)
            out.ids.push_back(std::int32_t(id));
        m_cancelled = (onToken && !onToken(candidate, std::int32_t(id))) || cancelRequested();
        if (stop) {
            out.stopReason = StopReason::StopToken;
            out.stopId = std::int32_t(id);
            break;
        }
        if (m_cancelled) {
            out.stopReason = StopReason::Cancelled;
            break;
        }
        if (step + 1 == m_options.maxNewTokens) {
            out.stopReason = StopReason::MaxTokens;
            break;
        }
        logits = decoder.append(id);
    }
    return out;
}

} // namespace chatbench
