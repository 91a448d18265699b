#pragma once
// One decoding step of a plain GPT-2 at batch 1 with the KV cache, in plain C++ over the model's
// own weight memory and the KvCache's memory, with CBLAS for the matrix-vector products. At
// batch 1 the torch path runs ~15 small ops per layer; their dispatch, allocations and autograd /
// InferenceMode bookkeeping cost more than the arithmetic for the tiny and small presets. The
// prompt is still encoded by the torch path into the same cache, and the torch path stays the
// reference (tests compare the two step by step).

#include "model/gpt2.h"

#include <string>
#include <vector>

namespace chatbench {

class Gpt2TokenStep
{
public:
    // Why model cannot use this step (it is training, has cross-attention, a weight is not a
    // contiguous float32 CPU tensor, the cache is not batch 1 ...), or empty when it can.
    static std::string unsupportedReason(Gpt2LMHeadModelImpl &model, const KvCache &cache);

    // Reads the addresses of model's weights: build a new one when the model's tensors are
    // replaced (loading into them in place keeps the addresses). unsupportedReason must be empty.
    explicit Gpt2TokenStep(Gpt2LMHeadModelImpl &model);

    // Feeds token at position cache.length(), writes its keys and values into cache, advances
    // the cache by one, and writes the next-token logits (vocab floats) to logits.
    void run(std::int64_t token, KvCache &cache, float *logits);

private:
    enum class Activation { GeluTanh, GeluErf, Relu, Silu };
    struct Layer
    {
        const float *ln1Weight, *ln1Bias; // (C)
        const float *qkvWeight, *qkvBias; // (C, 3C), (3C)
        const float *attnProjWeight, *attnProjBias; // (C, C), (C)
        const float *ln2Weight, *ln2Bias; // (C)
        const float *fcWeight, *fcBias; // (C, inner), (inner)
        const float *mlpProjWeight, *mlpProjBias; // (inner, C), (C)
        float scale; // attention score scale of this layer
    };

    void layerNorm(const float *x, const float *weight, const float *bias, float *out) const;
    void activate(float *x, std::int64_t n) const;

    std::int64_t m_vocab, m_positions, m_embd, m_heads, m_headDim, m_innerDim;
    float m_epsilon;
    Activation m_activation;
    const float *m_wte, *m_wpe; // (vocab, C), (positions, C)
    const float *m_lnFWeight, *m_lnFBias; // (C)
    std::vector<Layer> m_layers;
    // Scratch, sized once: the residual stream, a normalised copy, q|k|v, the attention output,
    // one head's scores and the MLP's inner activations.
    std::vector<float> m_x, m_norm, m_qkv, m_attn, m_scores, m_inner;
};

} // namespace chatbench
