#pragma once
// Next-token logits for a growing sequence (batch 1). While the sequence fits in n_positions each
// step feeds only the new token through the KV cache; beyond that the context is cropped from
// the left and the last n_positions ids are re-encoded at positions 0..n_positions-1 every step
// (absolute position embeddings make a shifted cache wrong). Without the cache every step
// re-encodes the window: the reference behaviour the cache must reproduce.
// Runs under InferenceMode, which is thread-local: call it on the thread that owns the model.

#include "model/gpt2.h"

#include <vector>

namespace chatbench {

class IncrementalDecoder
{
public:
    IncrementalDecoder(Gpt2LMHeadModelImpl &model, bool useCache);

    // Starts a new sequence; returns float32 logits (vocab) for the token after the prompt.
    torch::Tensor start(const std::vector<std::int64_t> &prompt);
    // Appends a token; returns the logits for the one after it.
    torch::Tensor append(std::int64_t token);

    const std::vector<std::int64_t> &sequence() const { return m_sequence; }

private:
    torch::Tensor encodeWindow();
    torch::Tensor feed(const std::vector<std::int64_t> &ids, KvCache *cache);

    Gpt2LMHeadModelImpl &m_model;
    bool m_useCache;
    KvCache m_cache;
    std::vector<std::int64_t> m_sequence;
};

} // namespace chatbench
