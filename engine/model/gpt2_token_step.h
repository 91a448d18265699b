#pragma once
// One decoding step of a plain GPT-2 at batch 1 with the KV cache, in plain C++ over the model's
// own weight memory and the KvCache's memory, with its own matrix-vector kernels
// (float_kernels.h, bf16_matrix.h). At
// batch 1 the torch path runs ~15 small ops per layer; their dispatch, allocations and autograd /
// InferenceMode bookkeeping cost more than the arithmetic for the tiny and small presets. The
// prompt is still encoded by the torch path into the same cache, and the torch path stays the
// reference (tests compare the two step by step).

#include "model/bf16_matrix.h"
#include "model/gpt2.h"

#include <memory>
#include <string>
#include <vector>

namespace chatbench {

// The matrices a step reads, rounded to bfloat16 (decoding precision "bf16"): the four
// projections of every layer, transposed so each output is a contiguous dot product, and the
// tied lm_head. Embedding rows, biases and layer norms stay float32: a step reads one row of wte
// and wpe, and the vectors are small.
struct Bf16StepWeights
{
    struct Layer
    {
        Bf16Matrix qkv, attnProj, fc, mlpProj; // (out, in)
    };
    std::vector<Layer> layers;
    Bf16Matrix lmHead; // (vocab, C)
    // The address and version counter of every float32 weight packed: in-place updates (an
    // optimizer step, loading a checkpoint into the model) bump the version.
    std::vector<std::pair<const void *, std::uint32_t>> sources;
};

class Gpt2TokenStep
{
public:
    // Why model cannot use this step (it is training, has cross-attention, a weight is not a
    // contiguous float32 CPU tensor, the cache is not batch 1 ...), or empty when it can.
    static std::string unsupportedReason(Gpt2LMHeadModelImpl &model, const KvCache &cache);

    // Reads the addresses of model's weights: build a new one when the model's tensors are
    // replaced (loading into them in place keeps the addresses). unsupportedReason must be empty.
    // bf16Weights: the matrix products read bfloat16 copies of the weights (packed once and kept
    // by the model until its weights change) instead of the float32 weights.
    explicit Gpt2TokenStep(Gpt2LMHeadModelImpl &model, bool bf16Weights = false);

    // The bfloat16 copy the model keeps, packed again when a weight changed since.
    static std::shared_ptr<const Bf16StepWeights> bf16Weights(Gpt2LMHeadModelImpl &model);

    // Feeds token at position cache.length(), writes its keys and values into cache, advances
    // the cache by one, and writes the next-token logits (vocab floats) to logits.
    void run(std::int64_t token, KvCache &cache, float *logits);

private:
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

    // y (out) = (addToY ? y : 0) + x W + bias, W the layer's float32 Conv1D weight [in, out] or,
    // with bf16 weights, its packed copy.
    void project(const float *weight, const Bf16Matrix *packed, const float *bias, const float *x,
        std::int64_t nIn, std::int64_t nOut, float *y, bool addToY);
    void layerNorm(const float *x, const float *weight, const float *bias, float *out) const;
    void activate(float *x, std::int64_t n) const;

    std::int64_t m_vocab, m_positions, m_embd, m_heads, m_headDim, m_innerDim;
    float m_epsilon;
    Activation m_activation;
    const float *m_wte, *m_wpe; // (vocab, C), (positions, C)
    const float *m_lnFWeight, *m_lnFBias; // (C)
    std::vector<Layer> m_layers;
    std::shared_ptr<const Bf16StepWeights> m_bf16; // null: float32 weights
    // Scratch, sized once: the residual stream, a normalised copy, q|k|v, the attention output,
    // every head's scores and the MLP's inner activations.
    std::vector<float> m_x, m_norm, m_qkv, m_attn, m_scores, m_inner;
    std::vector<float> m_partials; // the products' partial sums, one per task after the first
};

} // namespace chatbench
