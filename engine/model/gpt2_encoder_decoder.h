#pragma once
// "GPT-2 + Transformer": a Transformer encoder reads the dialogue history, a GPT-2 decoder with
// cross-attention writes the response. Module names are Hugging Face EncoderDecoderModel's
// ("encoder.h.0.attn.c_attn.weight", "decoder.transformer.h.0.crossattention.q_attn.weight"),
// so a checkpoint is a name-for-name copy. Internal to the engine: includes torch.
//
// The encoder is made of GPT-2 blocks without the causal mask: every history token sees the
// whole history (minus padding). It has its own position embeddings and final layer norm, but
// no token embedding: it reads the decoder's wte. History and response are the same language
// in the same vocabulary, so one table serves both, halves the embedding parameters (16M of
// GPT-2 base's 102M) and lets a pretrained GPT-2's embeddings serve the encoder unchanged.

#include "chatbench/checkpoint_report.h"
#include "model/dialogue_pairs.h"
#include "model/gpt2.h"
#include "model/lm_loss.h"

#include <filesystem>
#include <vector>

namespace chatbench {

class Gpt2EncoderImpl : public torch::nn::Module
{
public:
    // config.addCrossAttention must be false (the encoder attends to nothing but the history).
    explicit Gpt2EncoderImpl(const Gpt2Config &config);
    // ids (B, S) int64, mask (B, S) bool true = token, wte the shared token embedding ->
    // hidden states after ln_f (B, S, C). Padding rows come out as garbage the decoder masks.
    torch::Tensor forward(
        const torch::Tensor &ids, const torch::Tensor &mask, torch::nn::Embedding &wte);

    const Gpt2Config &config() const { return m_config; }

    torch::nn::Embedding wpe;
    FastDropout drop;
    torch::nn::ModuleList h;
    torch::nn::LayerNorm ln_f;

private:
    Gpt2Config m_config;
};
TORCH_MODULE(Gpt2Encoder);

class Gpt2EncoderDecoderImpl : public torch::nn::Module
{
public:
    // The two configs must agree on vocab_size and n_embd (shared wte); the decoder's
    // addCrossAttention is forced on and the encoder's off. Weights start as initWeights(0).
    Gpt2EncoderDecoderImpl(Gpt2Config encoderConfig, Gpt2Config decoderConfig);

    // historyIds (B, S), historyMask (B, S) bool or 0/1, responseIds (B, T) -> logits (B, T, V).
    torch::Tensor forward(const torch::Tensor &historyIds, const torch::Tensor &historyMask,
        const torch::Tensor &responseIds);

    // The two halves of forward, for incremental decoding: encode the history once, then feed
    // the response through decode with a cache (newCache), a token or more at a time.
    torch::Tensor encode(const torch::Tensor &historyIds, const torch::Tensor &historyMask);
    torch::Tensor decode(const torch::Tensor &responseIds, const torch::Tensor &encoderHidden,
        const torch::Tensor &historyMask, KvCache *cache = nullptr);
    KvCache newCache(std::int64_t batch) const { return decoder->newCache(batch); }

    // HF's initialisation of every parameter (decoder from seed, encoder from seed + 1).
    void initWeights(std::uint64_t seed);

    const Gpt2Config &encoderConfig() const { return encoder->config(); }
    const Gpt2Config &decoderConfig() const { return decoder->config(); }

    Gpt2Encoder encoder;
    Gpt2LMHeadModel decoder;
};
TORCH_MODULE(Gpt2EncoderDecoder);

// A model whose decoder is gpt2 (weights copied) with freshly initialised (seeded)
// cross-attention, and whose encoder has the same shape and starts as init says. Both halves
// take gpt2's config (load it with the run's dropout to train with that dropout). In eval mode.
Gpt2EncoderDecoder encoderDecoderFromGpt2(
    Gpt2LMHeadModelImpl &gpt2, EncoderInit init, std::uint64_t seed);
// The same from a GPT-2 checkpoint folder, its config.json as is. Throws chatbench::Error for a
// bad checkpoint, as loadGpt2Checkpoint.
Gpt2EncoderDecoder encoderDecoderFromGpt2(const std::filesystem::path &dir, EncoderInit init,
    std::uint64_t seed, CheckpointReport *report = nullptr);

// Batch-1 incremental decoding, for chat and the sampler: the history is encoded once and the
// cross-attention keys/values are computed once per response; each step feeds one token
// through the decoder's KV cache. Runs under InferenceMode (thread-local: call it on the thread
// that owns the model). The response may not exceed the decoder's n_positions.
class ResponseDecoder
{
public:
    explicit ResponseDecoder(Gpt2EncoderDecoderImpl &model);

    // Encodes history (e.g. "[CLS] u1 [SEP] u2 [SEP]"; beyond the encoder's n_positions, its
    // first token and its last n_positions - 1), feeds prompt (e.g. "[CLS]"); returns float32
    // logits (vocab) for the first response token.
    torch::Tensor start(
        const std::vector<std::int64_t> &history, const std::vector<std::int64_t> &prompt);
    // Appends a token; returns the logits for the one after it.
    torch::Tensor append(std::int64_t token);

    const std::vector<std::int64_t> &sequence() const { return m_sequence; }

private:
    torch::Tensor feed(const std::vector<std::int64_t> &ids);

    Gpt2EncoderDecoderImpl &m_model;
    KvCache m_cache;
    torch::Tensor m_memory, m_mask; // encoder output (1, S, C) and its mask (1, S)
    std::vector<std::int64_t> m_sequence;
};

// Greedy response: start from [prompt], take the argmax until stopId (included) or maxNew
// tokens. Returns the generated tokens (the prompt excluded).
std::vector<std::int64_t> greedyResponse(Gpt2EncoderDecoderImpl &model,
    const std::vector<std::int64_t> &history, const std::vector<std::int64_t> &prompt,
    std::int64_t stopId, std::int64_t maxNew);

// The training loss of a batch of chitchat rows, beside GPT-2's: the rows become dialogue pairs
// (makeDialoguePairs; maxHistoryTokens and maxResponseTokens 0 mean the encoder's and the
// decoder's n_positions) and causalLmLossFromHidden scores the decoder against the response
// labels, so loss and token accuracy mean what they mean for GPT-2 runs (over response
// tokens). A batch with no pair (every row a single utterance) gives nCounted 0 and a zero
// loss whose backward does nothing. tokens, if given, receives the pairs' non-padding tokens
// (history + response).
LmLoss encoderDecoderLoss(Gpt2EncoderDecoderImpl &model, const Batch &batch,
    const PairOptions &options = {}, std::int64_t *tokens = nullptr);

} // namespace chatbench
