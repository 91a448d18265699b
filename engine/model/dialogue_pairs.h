#pragma once
// Encoder-decoder training pairs from GPT2-chitchat rows. A row `[CLS] u1 [SEP] u2 [SEP] ...
// un [SEP]` gives one pair per response turn k >= 2: history `[CLS] u(k-h) [SEP] ... u(k-1)
// [SEP]` (the h = maxHistory utterances before it, as GPT2-chitchat's chat keeps), response
// `[CLS] uk [SEP]`. An utterance cut off by truncation (no closing [SEP]) is never a response:
// the model would learn to stop without [SEP]. Internal to the engine: includes torch.

#include "data/batcher.h"

#include <torch/types.h>

namespace chatbench {

struct PairOptions
{
    std::int64_t clsId = 101; // [CLS] in the BERT vocab
    std::int64_t sepId = 102; // [SEP]
    std::int64_t padId = 0; // [PAD]
    std::int64_t ignoreLabel = -100;
    std::int64_t maxHistory = 3; // utterances of history (GPT2-chitchat's chat: 3)
    // > 0: a longer history keeps its [CLS] and the last maxHistoryTokens - 1 tokens (the
    // encoder's n_positions).
    std::int64_t maxHistoryTokens = 0;
    // > 0: responses longer than this (with [CLS] and [SEP]) are left out (the decoder's
    // n_positions); cutting one would teach the model to stop without [SEP].
    std::int64_t maxResponseTokens = 0;
};

struct DialoguePairs
{
    torch::Tensor historyIds; // (P, S) int64, padId after each history's end
    torch::Tensor historyMask; // (P, S) bool, true on tokens
    torch::Tensor responseIds; // (P, T) int64, padId after each response's end
    torch::Tensor responseLabels; // (P, T) int64: the ids, ignoreLabel on padding (the loss shifts)
    std::int64_t tokens = 0; // history + response tokens, padding excluded

    std::int64_t count() const { return responseIds.defined() ? responseIds.size(0) : 0; }
};

// Every pair of every row of batch, in row order. count() is 0 (tensors undefined) when no row
// has two complete utterances.
DialoguePairs makeDialoguePairs(const Batch &batch, const PairOptions &options = {});

} // namespace chatbench
