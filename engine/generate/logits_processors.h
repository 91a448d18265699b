#pragma once
// The steps between the model's next-token logits and the choice of a token, each as
// transformers defines it, applied by the Sampler in transformers' order: repetition penalty,
// no-repeat n-grams, banned ids (and stop ids before min length), then the warpers
// temperature, top-k, top-p. All take a 1-D float32 CPU tensor (vocab) and modify it in place;
// call them under InferenceMode (the decoder's logits are inference tensors).

#include <cstdint>
#include <torch/types.h>
#include <vector>

namespace chatbench {

// CTRL: every id occurring in context has its logit divided by penalty when positive and
// multiplied by it when negative, so a penalty > 1 always makes a seen token less likely.
void applyRepetitionPenalty(
    torch::Tensor &logits, const std::vector<std::int64_t> &context, double penalty);

// Bans every token that would complete an n-gram already present in context (n >= 1).
void banRepeatedNgrams(torch::Tensor &logits, const std::vector<std::int64_t> &context, int n);

void banIds(torch::Tensor &logits, const std::vector<std::int32_t> &ids);

void applyTemperature(torch::Tensor &logits, double temperature);

// Keeps the k largest logits (ties with the k-th kept too, as torch.topk's threshold does).
void keepTopK(torch::Tensor &logits, int k);

// Keeps the smallest set of most likely tokens whose probability sums to at least p (always
// at least one token).
void keepTopP(torch::Tensor &logits, double p);

} // namespace chatbench
