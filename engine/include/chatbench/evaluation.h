#pragma once
// Loss, perplexity and token accuracy of a model on a prepared token cache (token_cache.h):
// the validation numbers of a run, and `chatbench-cli eval --data`.

#include <cstdint>
#include <filesystem>
#include <limits>

namespace chatbench {

class DialogueLayout;
class LanguageModel;

struct EvaluationResult
{
    // Token-weighted mean negative log-likelihood over every counted target (padding and -100
    // labels excluded), its exp, and micro-averaged token accuracy (GPT2-chitchat's).
    double loss = std::numeric_limits<double>::quiet_NaN();
    double ppl = std::numeric_limits<double>::quiet_NaN();
    double acc = std::numeric_limits<double>::quiet_NaN();
    std::uint64_t tokens = 0; // targets counted
    std::uint64_t examples = 0;
};

// Throws chatbench::Error when the cache cannot be opened or holds ids outside the model's
// vocabulary or sequences longer than its context. responseOnly, when given: count the final
// utterance of each example only (the response-only loss of that layout, as a run with
// "loss": "response" validates).
EvaluationResult evaluateOnCache(const LanguageModel &model, const std::filesystem::path &cacheFile,
    int batchSize = 8, const DialogueLayout *responseOnly = nullptr);

} // namespace chatbench
