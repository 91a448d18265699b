#include "generate/incremental_decoder.h"

#include <c10/core/InferenceMode.h>

namespace chatbench {

IncrementalDecoder::IncrementalDecoder(
    Gpt2LMHeadModelImpl &model, bool useCache, bool fastStep, bool bf16Weights)
    : m_model(model), m_useCache(useCache), m_fastStep(fastStep), m_bf16Weights(bf16Weights)
{ }

torch::Tensor IncrementalDecoder::feed(const std::vector<std::int64_t> &ids, KvCache *cache)
{
    // The embedding's device is the model's; read per step (cheaper than walking the modules).
    auto input = torch::tensor(ids, torch::kLong)
                     .unsqueeze(0)
                     .to(m_model.transformer->wte->weight.device());
    auto hidden = m_model.transformer(input, cache);
    // The logits processors work on a float32 CPU vector, wherever the model runs.
    return m_model.logits(hidden.select(1, hidden.size(1) - 1))
        .squeeze(0)
        .to(torch::kCPU, torch::kFloat32);
}

torch::Tensor IncrementalDecoder::encodeWindow()
{
    const auto window = std::min<std::int64_t>(m_sequence.size(), m_model.config().nPositions);
    return feed({ m_sequence.end() - window, m_sequence.end() }, nullptr);
}

torch::Tensor IncrementalDecoder::start(const std::vector<std::int64_t> &prompt)
{
    c10::InferenceMode inference;
    TORCH_CHECK(!prompt.empty(), "cannot decode from an empty prompt");
    m_sequence = prompt;
    m_step.reset();
    if (!m_useCache || std::int64_t(prompt.size()) > m_model.config().nPositions)
        return encodeWindow();
    if (m_cache.capacity() == 0)
        m_cache = m_model.newCache(1);
    m_cache.clear();
    // The weights' addresses are read per sequence: between two replies the model may have
    // trained or loaded a checkpoint.
    if (m_fastStep && Gpt2TokenStep::unsupportedReason(m_model, m_cache).empty())
        m_step = std::make_unique<Gpt2TokenStep>(m_model, m_bf16Weights);
    return feed(prompt, &m_cache);
}

torch::Tensor IncrementalDecoder::append(std::int64_t token)
{
    c10::InferenceMode inference;
    m_sequence.push_back(token);
    if (!m_useCache || std::int64_t(m_sequence.size()) > m_model.config().nPositions)
        return encodeWindow();
    if (m_step) {
        auto logits = torch::empty({ m_model.config().vocabSize }, torch::kFloat);
        m_step->run(token, m_cache, logits.data_ptr<float>());
        return logits;
    }
    return feed({ token }, &m_cache);
}

} // namespace chatbench
