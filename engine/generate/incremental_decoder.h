#pragma once
// Next-token logits for a growing sequence (batch 1). While the sequence fits in n_positions each
// step feeds only the new token through the KV cache; beyond that the context is cropped from
// the left and the last n_positions ids are re-encoded at positions 0..n_positions-1 every step
// (absolute position embeddings make a shifted cache wrong). Without the cache every step
// re-encodes the window: the reference behaviour the cache must reproduce.
// With the cache, a plain GPT-2 in eval mode with float32 weights appends through Gpt2TokenStep
// (plain C++ and CBLAS over the same cache) instead of torch ops; fastStep false keeps every
// step on the torch path (the reference the fast step is tested against). bf16Weights: the fast
// step reads the model's bfloat16 copy of its weights.
// Runs under InferenceMode, which is thread-local: call it on the thread that owns the model.

#include "model/gpt2.h"
#include "model/gpt2_encoder_decoder.h"
#include "model/gpt2_token_step.h"

#include <memory>
#include <vector>

namespace chatbench {

// What the sampler needs from a model: next-token logits for a growing sequence.
class NextTokenLogits
{
public:
    virtual ~NextTokenLogits() = default;
    // Starts a new sequence; returns float32 logits (vocab) for the token after the prompt.
    virtual torch::Tensor start(const std::vector<std::int64_t> &prompt) = 0;
    // Appends a token; returns the logits for the one after it.
    virtual torch::Tensor append(std::int64_t token) = 0;
    // What repetition penalties and n-gram bans look at.
    virtual const std::vector<std::int64_t> &sequence() const = 0;
};

class IncrementalDecoder : public NextTokenLogits
{
public:
    IncrementalDecoder(
        Gpt2LMHeadModelImpl &model, bool useCache, bool fastStep = true, bool bf16Weights = false);

    torch::Tensor start(const std::vector<std::int64_t> &prompt) override;
    torch::Tensor append(std::int64_t token) override;
    const std::vector<std::int64_t> &sequence() const override { return m_sequence; }
    // Whether append() runs the fast step for the current sequence (false before start()).
    bool usesFastStep() const { return m_step != nullptr; }

private:
    torch::Tensor encodeWindow();
    torch::Tensor feed(const std::vector<std::int64_t> &ids, KvCache *cache);

    Gpt2LMHeadModelImpl &m_model;
    bool m_useCache, m_fastStep, m_bf16Weights;
    KvCache m_cache;
    std::unique_ptr<Gpt2TokenStep> m_step; // set by start() when the model allows it
    std::vector<std::int64_t> m_sequence;
};

// The encoder-decoder's reply: the prompt ([CLS] u1 [SEP] ... un [SEP], GPT2-chitchat's chat
// layout) goes to the encoder as the history, and the reply is decoded from the prompt's first
// token ([CLS]); the sequence the penalties see is the reply so far.
class EncoderDecoderReply : public NextTokenLogits
{
public:
    explicit EncoderDecoderReply(Gpt2EncoderDecoderImpl &model) : m_decoder(model) { }
    torch::Tensor start(const std::vector<std::int64_t> &prompt) override
    {
        return m_decoder.start(prompt, { prompt.front() });
    }
    torch::Tensor append(std::int64_t token) override { return m_decoder.append(token); }
    const std::vector<std::int64_t> &sequence() const override { return m_decoder.sequence(); }

private:
    ResponseDecoder m_decoder;
};

} // namespace chatbench
