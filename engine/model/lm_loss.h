#pragma once
// Causal language-model loss and token accuracy with GPT2-chitchat's semantics: logits at
// position t predict label t+1; labels equal to ignoreIndex (-100: padding, or the context in a
// response-only layout) count in neither. Internal to the engine.

#include <torch/types.h>

namespace chatbench {

struct LmLoss
{
    torch::Tensor loss; // scalar: mean cross-entropy over counted targets (NaN if none)
    std::int64_t nCorrect = 0; // argmax(logits[:-1]) == labels[1:]
    std::int64_t nCounted = 0; // targets != ignoreIndex
};

// logits (B, T, V), labels (B, T) int64.
LmLoss causalLmLoss(
    const torch::Tensor &logits, const torch::Tensor &labels, std::int64_t ignoreIndex = -100);

// The same loss for training, from the final hidden states (B, T, C) and a projection to the
// vocabulary (the tied wte, (V, C)): only the positions whose next label counts are projected,
// so neither the last position nor padding costs a vocabulary-sized row, and no (B, T, V)
// logits tensor is ever sliced, copied or zero-filled for the backward pass.
LmLoss causalLmLossFromHidden(const torch::Tensor &hidden, const torch::Tensor &labels,
    const torch::Tensor &vocabProjection, std::int64_t ignoreIndex = -100);

} // namespace chatbench
