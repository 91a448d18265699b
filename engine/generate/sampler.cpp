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
    SamplerStream stream(*this, prompt, candidate);
    const auto cancelRequested = [&] { return cancel && cancel->load(); };
    if (cancelRequested() && !stream.done()) {
        stream.cancel();
        m_cancelled = true;
    }
    while (!stream.done()) {
        const std::int32_t id = stream.step();
        m_cancelled = (onToken && !onToken(candidate, id)) || cancelRequested();
        if (m_cancelled)
            stream.cancel();
    }
    return stream.result();
}

SamplerStream::SamplerStream(
    const Sampler &sampler, std::vector<std::int64_t> prompt, int candidate)
    : m_sampler(sampler), m_prompt(std::move(prompt)),
      m_generator(at::make_generator<at::CPUGeneratorImpl>(
          sampler.options().seed + std::uint64_t(candidate))),
      m_started(Clock::now()), m_done(sampler.options().maxNewTokens == 0)
{ }

SamplerStream::~SamplerStream() = default;

std::int32_t SamplerStream::step()
{
    c10::InferenceMode inference;
    const auto began = Clock::now();
    const SamplingOptions &options = m_sampler.options();
    torch::Tensor logits;
    if (!m_source) {
        LanguageModel::Impl &model = m_sampler.model();
        if (model.encoderDecoder)
            m_source = std::make_unique<EncoderDecoderReply>(*model.encoderDecoder);
        else
            m_source = std::make_unique<IncrementalDecoder>(*model.model, options.useCache,
                options.fastStep, options.precision == Precision::Bf16);
        logits = m_source->start(m_prompt);
    } else {
        logits = m_source->append(m_last);
    }
    m_sampler.process(logits, m_source->sequence(), m_step);
    const std::int64_t id = m_sampler.choose(logits, m_generator);
    const auto now = Clock::now();
    m_out.tokenMs.push_back(std::chrono::duration<double, std::milli>(now - m_started).count());
    m_out.busyMs += std::chrono::duration<double, std::milli>(now - began).count();
    m_last = id;
    ++m_step;
    if (m_sampler.isStop(id)) {
        m_out.stopReason = StopReason::StopToken;
        m_out.stopId = std::int32_t(id);
        m_done = true;
    } else {
        m_out.ids.push_back(std::int32_t(id));
        if (m_step == options.maxNewTokens) {
            m_out.stopReason = StopReason::MaxTokens;
            m_done = true;
        }
    }
    return std::int32_t(id);
}

void SamplerStream::cancel()
{
    if (!m_done)
        m_out.stopReason = StopReason::Cancelled;
    m_done = true;
}

} // namespace chatbench
