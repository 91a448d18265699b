#pragma once
// Decoding a continuation from a LanguageModel: greedy, temperature, top-k, top-p, repetition
// penalty, n-gram blocking, banned and stop tokens, several candidates per prompt. The logits
// are processed in transformers' order (see generate/logits_processors.h). Torch-free.

#include "chatbench/device.h"
#include "chatbench/gpt2_config.h"
#include "chatbench/tokenizer.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace chatbench {

class LanguageModel;

struct SamplingOptions
{
    double temperature = 1.0; // 0 = greedy: argmax after the penalties and bans, no warpers
    int topK = 0; // 0 = off
    double topP = 1.0; // 1 = off
    double repetitionPenalty = 1.0; // 1 = off; CTRL's, over prompt + generated tokens
    int noRepeatNgramSize = 0; // 0 = off; over prompt + generated tokens, as transformers
    int minNewTokens = 0; // stop ids are banned until this many tokens were generated
    int maxNewTokens = 20;
    // Empty by default: setSpecialTokenDefaults() fills GPT2-chitchat's chat settings.
    std::vector<std::int32_t> bannedIds;
    std::vector<std::int32_t> stopIds;
    // Candidate i samples with its own generator seeded with seed + i, so candidate 0 of a
    // multi-candidate request equals the single-candidate reply for the same seed.
    std::uint64_t seed = 0;
    int numCandidates = 1;
    bool useCache = true;
    // With the cache, a plain GPT-2 decodes each new token with the engine's own single-token
    // step instead of torch ops (same logits within float rounding, several times faster on
    // small models). false keeps the torch path: for comparisons (bench generate --torch-step).
    // A speed switch, not a decoding setting: transcripts do not record it.
    bool fastStep = true;
    // Bf16: the engine's single-token step reads bfloat16 copies of the weight
    // matrices (the vectors, sums, attention and KV cache stay float32): half the bytes read per
    // token, where decoding is bound by memory bandwidth, for logits within bfloat16 rounding of
    // float32's. Steps that do not run the engine's step (the prompt, no cache, the
    // encoder-decoder, a GPU, fastStep false) compute in float32 either way.
    Precision precision = Precision::Fp32;

    // Bans [UNK], [PAD] and [CLS] and stops at [SEP] (eos when the vocabulary has no [SEP]),
    // replacing bannedIds and stopIds. Ids the vocabulary lacks (-1) are skipped.
    void setSpecialTokenDefaults(const SpecialTokenIds &ids);
    // The same from a checkpoint alone (no tokenizer): stops at eos, bans pad unless it is eos.
    void setSpecialTokenDefaults(const Gpt2Config &config);

    // Argmax with nothing banned and no stop token: the fixture's reference decoding.
    static SamplingOptions greedy(int maxNewTokens);
};

enum class StopReason {
    StopToken, // a stop id was chosen (it is not part of ids)
    MaxTokens,
    Cancelled, // by the callback or the cancel flag
};
const char *toString(StopReason reason); // "stop_token", "max_tokens", "cancelled"

struct Generation
{
    std::vector<std::int32_t> ids; // the new tokens, without the stop token
    StopReason stopReason = StopReason::MaxTokens;
    std::int32_t stopId = -1; // the stop token chosen, -1 otherwise
    // Wall time from the request (the first entry includes encoding the prompt) to each token,
    // stop token included.
    std::vector<double> tokenMs;
    // Time spent decoding this continuation alone, prompt included: when continuations take
    // turns (generateInTurns), tokenMs also counts the others' steps.
    double busyMs = 0;
};

// Called after every token, stop tokens included, on the calling thread; candidate counts
// from 0. Returning false cancels the whole request.
using TokenCallback = std::function<bool(int candidate, std::int32_t id)>;

// Decodes options.numCandidates continuations of prompt, one after the other. Stops early when
// *cancel becomes true (checked before every step) or the callback returns false; the
// candidates finished so far and the cancelled one are returned. Throws chatbench::Error for
// bad ids or options.
std::vector<Generation> generate(const LanguageModel &model,
    const std::vector<std::int32_t> &prompt, const SamplingOptions &options,
    const TokenCallback &onToken = {}, const std::atomic<bool> *cancel = nullptr);

// One continuation to decode: a model, a prompt and its options (numCandidates is ignored).
struct GenerationRequest
{
    const LanguageModel *model = nullptr;
    std::vector<std::int32_t> prompt;
    SamplingOptions options;
};

// Called after every token of request `request`, stop tokens included. Returning false cancels
// every request.
using TurnTokenCallback = std::function<bool(std::size_t request, std::int32_t id)>;

// Decodes one continuation per request in turns: a token of each unfinished request, then the
// next round, so that several models' replies stream together on one thread. Each equals what
// generate() returns for its request alone (candidate 0). When cancelled, every unfinished one
// ends with StopReason::Cancelled. Throws chatbench::Error for bad ids or options, before
// decoding anything.
std::vector<Generation> generateInTurns(const std::vector<GenerationRequest> &requests,
    const TurnTokenCallback &onToken = {}, const std::atomic<bool> *cancel = nullptr);

} // namespace chatbench
