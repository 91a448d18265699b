#pragma once
// The core of GPT-2's causal self-attention for a whole sequence (training, or a prompt without a
// KV cache) as one autograd op over the packed q|k|v that c_attn produces: for every (batch,
// head), softmax(scale q k^T + causal mask), dropout on the probabilities, times v, written
// straight into the merged (B, T, C) output. The ATen composition copies q, k and v out of the
// packed tensor into per-head layouts, copies the output back, and runs the scale, mask, softmax
// and dropout as separate passes, each again backward; here the GEMMs read and write the packed
// layouts in place (CBLAS with row strides) and the row operations are fused. Internal to the
// engine.

#include <torch/types.h>

namespace chatbench {

// qkv (B, T, 3C) float32 CPU -> (B, T, C). Dropout with probability dropoutP (0: none) uses the
// same counter-based masks as fastDropout, seeded from torch's default generator.
torch::Tensor causalSelfAttention(
    const torch::Tensor &qkv, std::int64_t heads, double scale, double dropoutP);

// Whether causalSelfAttention takes qkv (a float32 CPU tensor), or the caller should compose ATen.
bool causalSelfAttentionApplies(const torch::Tensor &qkv);

} // namespace chatbench
