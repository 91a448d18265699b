#pragma once
// The decoding loop behind chatbench::generate(): an IncrementalDecoder supplies next-token
// logits, the logits processors shape them, and a token is chosen by argmax (temperature 0) or
// drawn with a torch::Generator seeded per candidate, so a seed reproduces a reply exactly.
// Runs under InferenceMode, which is thread-local: call it on the thread that owns the model.

#include "chatbench/sampling.h"
#include "model/language_model_impl.h"

#include <ATen/core/Generator.h>
#include <chrono>
#include <memory>

namespace chatbench {

class NextTokenLogits;

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
    bool isStop(std::int64_t id) const;
    const SamplingOptions &options() const { return m_options; }
    LanguageModel::Impl &model() const { return m_model; }

private:
    LanguageModel::Impl &m_model;
    SamplingOptions m_options;
    bool m_cancelled = false;
};

// One continuation decoded a token per step(), so that several (of one model or of several)
// can take turns on one thread and stream together. The sampler must outlive it.
class SamplerStream
{
public:
    SamplerStream(const Sampler &sampler, std::vector<std::int64_t> prompt, int candidate);
    ~SamplerStream();

    bool done() const { return m_done; }
    // Chooses the next token (the first step also encodes the prompt) and returns it; done()
    // tells whether it ended the continuation (a stop token or the length limit).
    std::int32_t step();
    // Ends the continuation as cancelled unless it had ended already.
    void cancel();
    const Generation &result() const { return m_out; }

private:
    using Clock = std::chrono::steady_clock;
    const Sampler &m_sampler;
    std::vector<std::int64_t> m_prompt;
    at::Generator m_generator;
    std::unique_ptr<NextTokenLogits> m_source;
    Clock::time_point m_started;
    std::int64_t m_last = -1;
    int m_step = 0;
    bool m_done = false;
    Generation m_out;
};

} // namespace chatbench
