#include "model/gpt2_encoder_decoder.h"

#include "chatbench/error.h"
#include "model/device.h"
#include "model/hf_checkpoint.h"

#include <c10/core/InferenceMode.h>
#include <torch/nn/options/normalization.h>

namespace chatbench {

Gpt2EncoderImpl::Gpt2EncoderImpl(const Gpt2Config &config)
    : wpe(register_module("wpe", torch::nn::Embedding(config.nPositions, config.nEmbd))),
      drop(register_module("drop", FastDropout(config.embdPdrop))),
      h(register_module("h", torch::nn::ModuleList())),
      ln_f(register_module("ln_f",
          torch::nn::LayerNorm(
              torch::nn::LayerNormOptions({ config.nEmbd }).eps(config.layerNormEpsilon)))),
      m_config(config)
{
    TORCH_CHECK(!config.addCrossAttention, "the encoder has no cross-attention");
    for (std::int64_t i = 0; i < config.nLayer; ++i)
        h->push_back(Gpt2Block(config, i, AttentionKind::Bidirectional));
}

torch::Tensor Gpt2EncoderImpl::forward(
    const torch::Tensor &ids, const torch::Tensor &mask, torch::nn::Embedding &wte)
{
    const auto B = ids.size(0), S = ids.size(1);
    TORCH_CHECK(S <= m_config.nPositions, "history of ", S, " tokens exceeds the encoder's ",
        "n_positions ", m_config.nPositions);
    auto x = drop(wte(ids) + wpe(torch::arange(S, ids.options().dtype(torch::kLong)))); // (B, S, C)
    auto ignore = mask.to(torch::kBool).logical_not().view({ B, 1, 1, S });
    for (std::size_t i = 0; i < h->size(); ++i)
        x = h[i]->as<Gpt2Block>()->forward(x, nullptr, ignore);
    return ln_f(x);
}

namespace {
Gpt2Config withCrossAttention(Gpt2Config c, bool on)
{
    c.addCrossAttention = on;
    return c;
}
} // namespace

Gpt2EncoderDecoderImpl::Gpt2EncoderDecoderImpl(Gpt2Config encoderConfig, Gpt2Config decoderConfig)
    : encoder(register_module("encoder", Gpt2Encoder(withCrossAttention(encoderConfig, false)))),
      decoder(register_module("decoder", Gpt2LMHeadModel(withCrossAttention(decoderConfig, true))))
{
    auto shape = [](const Gpt2Config &c) {
        return std::to_string(c.vocabSize) + " x " + std::to_string(c.nEmbd);
    };
    if (encoderConfig.vocabSize != decoderConfig.vocabSize
        || encoderConfig.nEmbd != decoderConfig.nEmbd)
        throw Error("encoder and decoder must share vocab_size and n_embd (one token embedding): "
                    "encoder "
            + shape(encoderConfig) + ", decoder " + shape(decoderConfig));
    // The decoder's constructor did initWeights(0)'s half; the encoder is still uninitialised.
    initGpt2Parameters(*encoder, encoder->config(), 1);
}

torch::Tensor Gpt2EncoderDecoderImpl::encode(
    const torch::Tensor &historyIds, const torch::Tensor &historyMask)
{
    return encoder->forward(historyIds, historyMask, decoder->transformer->wte);
}

torch::Tensor Gpt2EncoderDecoderImpl::decode(const torch::Tensor &responseIds,
    const torch::Tensor &encoderHidden, const torch::Tensor &historyMask, KvCache *cache)
{
    return decoder->forward(responseIds, cache, encoderHidden, historyMask.to(torch::kBool));
}

torch::Tensor Gpt2EncoderDecoderImpl::forward(const torch::Tensor &historyIds,
    const torch::Tensor &historyMask, const torch::Tensor &responseIds)
{
    return decode(responseIds, encode(historyIds, historyMask), historyMask);
}

void Gpt2EncoderDecoderImpl::initWeights(std::uint64_t seed)
{
    decoder->initWeights(seed);
    // Another stream, so that an encoder shaped like the decoder does not start as its copy.
    initGpt2Parameters(*encoder, encoder->config(), seed + 1);
}

Gpt2EncoderDecoder encoderDecoderFromGpt2(
    Gpt2LMHeadModelImpl &gpt2, EncoderInit init, std::uint64_t seed)
{
    Gpt2EncoderDecoder model(gpt2.config(), gpt2.config());
    model->initWeights(seed); // the cross-attention (and a scratch encoder) keep these values
    torch::NoGradGuard noGrad;
    auto decoderParams = model->decoder->named_parameters();
    auto encoderParams = model->encoder->named_parameters();
    const std::string prefix = "transformer.";
    for (const auto &item : gpt2.named_parameters()) {
        decoderParams[item.key()].copy_(item.value()); // every GPT-2 name exists in the decoder
        // The encoder's names are the transformer's without the prefix; it has no wte.
        const std::string name = item.key().substr(prefix.size());
        if (init == EncoderInit::Blocks && name != "wte.weight")
            encoderParams[name].copy_(item.value());
    }
    model->eval();
    return model;
}

Gpt2EncoderDecoder encoderDecoderFromGpt2(const std::filesystem::path &dir, EncoderInit init,
    std::uint64_t seed, CheckpointReport *report)
{
    Gpt2LMHeadModel gpt2 = loadGpt2Checkpoint(dir, report);
    return encoderDecoderFromGpt2(*gpt2, init, seed);
}

ResponseDecoder::ResponseDecoder(Gpt2EncoderDecoderImpl &model) : m_model(model)
{ }

torch::Tensor ResponseDecoder::feed(const std::vector<std::int64_t> &ids)
{
    TORCH_CHECK(m_cache.length() + std::int64_t(ids.size()) <= m_model.decoderConfig().nPositions,
        "response exceeds the decoder's n_positions ", m_model.decoderConfig().nPositions);
    auto input = torch::tensor(ids, torch::kLong)
                     .unsqueeze(0)
                     .to(m_model.decoder->transformer->wte->weight.device());
    auto logits = m_model.decode(input, m_memory, m_mask, &m_cache); // (1, T, V)
    // The sampler works on float32 CPU logits, wherever the model runs.
    return logits[0][logits.size(1) - 1].to(torch::kCPU, torch::kFloat32);
}

torch::Tensor ResponseDecoder::start(
    const std::vector<std::int64_t> &history, const std::vector<std::int64_t> &prompt)
{
    c10::InferenceMode inference;
    TORCH_CHECK(!history.empty() && !prompt.empty(), "history and prompt must not be empty");
    // A history longer than the encoder's window keeps its first token ([CLS]) and its end, as
    // makeDialoguePairs' maxHistoryTokens does in training.
    std::vector<std::int64_t> window = history;
    const auto limit = m_model.encoderConfig().nPositions;
    if (std::int64_t(window.size()) > limit)
        window.erase(window.begin() + 1, window.end() - (limit - 1));
    auto historyIds = torch::tensor(window, torch::kLong).unsqueeze(0).to(moduleDevice(m_model));
    m_mask = torch::ones_like(historyIds, torch::kBool);
    m_memory = m_model.encode(historyIds, m_mask);
    if (m_cache.capacity() == 0)
        m_cache = m_model.newCache(1);
    m_cache.clear(); // also drops the previous history's cross-attention keys/values
    m_sequence = prompt;
    return feed(prompt);
}

torch::Tensor ResponseDecoder::append(std::int64_t token)
{
    c10::InferenceMode inference;
    m_sequence.push_back(token);
    return feed({ token });
}

std::vector<std::int64_t> greedyResponse(Gpt2EncoderDecoderImpl &model,
    const std::vector<std::int64_t> &history, const std::vector<std::int64_t> &prompt,
    std::int64_t stopId, std::int64_t maxNew)
{
    ResponseDecoder decoder(model);
    std::vector<std::int64_t> out;
    auto logits = decoder.start(history, prompt);
    const auto room = model.decoderConfig().nPositions - std::int64_t(prompt.size());
    for (std::int64_t i = 0; i < std::min(maxNew, room); ++i) {
        const auto next = logits.argmax().item<std::int64_t>();
        out.push_back(next);
        if (next == stopId || i + 1 == std::min(maxNew, room))
            break;
        logits = decoder.append(next);
    }
    return out;
}

LmLoss encoderDecoderLoss(Gpt2EncoderDecoderImpl &model, const Batch &batch,
    const PairOptions &options, std::int64_t *tokens)
{
    PairOptions o = options;
    if (o.maxHistoryTokens <= 0)
        o.maxHistoryTokens = model.encoderConfig().nPositions;
    if (o.maxResponseTokens <= 0)
        o.maxResponseTokens = model.decoderConfig().nPositions;
    DialoguePairs pairs = makeDialoguePairs(batch, o);
    const torch::Device device = moduleDevice(model);
    if (tokens)
        *tokens = pairs.tokens;
    if (pairs.count() == 0) {
        // Nothing to learn from: a finite loss a training loop can add and backpropagate (a
        // no-op), where NaN would read as divergence. Evaluation skips it by nCounted == 0.
        LmLoss none;
        none.loss = torch::zeros({}, torch::TensorOptions().device(device));
        if (torch::GradMode::is_enabled())
            none.loss.requires_grad_();
        return none;
    }
    // As GPT-2's training loss: from the decoder's hidden states, projecting to the vocabulary
    // only the positions whose next label counts.
    pairs.historyIds = pairs.historyIds.to(device);
    pairs.historyMask = pairs.historyMask.to(device);
    pairs.responseIds = pairs.responseIds.to(device);
    pairs.responseLabels = pairs.responseLabels.to(device);
    auto memory = model.encode(pairs.historyIds, pairs.historyMask);
    auto &decoder = *model.decoder->transformer;
    auto hidden = decoder.forward(pairs.responseIds, nullptr, nullptr, memory, pairs.historyMask);
    return causalLmLossFromHidden(hidden, pairs.responseLabels, decoder.wte->weight, o.ignoreLabel);
}

} // namespace chatbench
