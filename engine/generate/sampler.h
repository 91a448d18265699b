#pragma once
// The decoding loop behind chatbench::generate(): an IncrementalDecoder supplies next-token
// logits, the logits processors shape them, and a token is chosen by argmax (temperature 0) or
// drawn with a torch::Generator seeded per candidate, so a seed reproduces a reply exactly.
// Runs under InferenceMode, which is thread-local: call it on the thread that owns the model.

#include "chatbench/sampling.h"
#include "model/language_model_impl.h"

#include <ATen/core/Generator.h>

namespace chatbench {

class Sampler
{
public:
    // options must be valid (generate() checks them).
    Sampler(LanguageModel::Impl &model, const SamplingOptions &options);

    // Everything before the choice: penalties, bans and (unless greedy) the warpers, applied in
    // place to logits for a sequence (prompt + tokens so far) with nGenerated new tokens.
    void process(
        torch::Tensor &logits, const std::vector<std::int64_t> &sequence, int nGenerated) const;
    std::int64_t choose(const torch::Tensor &processed, at::Generator &generator) const;

    // One candidate. Sets cancelled() when the callback or the flag stopped it.
    Generation run(const std::vector<std::int64_t> &prompt, int candidate,
        const TokenCallback &onToken, const std::atomic<bool> *cancel);
    bool cancelled() const { return m_cancelled; }

private:
    bool isStop(std::int64_t id) const;

    LanguageModel::Impl &m_model;
    SamplingOptions m_options;
    bool m_cancelled = false;
};

} // namespace chatbench
