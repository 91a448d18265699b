#include "model/gpt2.h"

#include "model/causal_attention.h"
#include "model/float_kernels.h"

#include <ATen/CPUGeneratorImpl.h>
#include <cmath>
#include <torch/nn/init.h>
#include <torch/nn/options/normalization.h>

namespace chatbench {

Conv1DImpl::Conv1DImpl(std::int64_t nIn, std::int64_t nOut)
    : weight(register_parameter("weight", torch::empty({ nIn, nOut }))),
      bias(register_parameter("bias", torch::zeros({ nOut })))
{ }

torch::Tensor Conv1DImpl::forward(const torch::Tensor &x)
{
    auto shape = x.sizes().vec();
    shape.back() = weight.size(1);
    // One row (a decoding step at batch 1): a matrix-vector product. As a 1-row GEMM, OpenBLAS
    // repacks the whole weight matrix on every call, which was half of a tiny model's step.
    if (x.numel() == x.size(-1))
        return torch::addmv(bias, weight.t(), x.reshape({ -1 })).view(shape);
    return torch::addmm(bias, x.reshape({ -1, x.size(-1) }), weight).view(shape);
}

Gpt2AttentionImpl::Gpt2AttentionImpl(
    const Gpt2Config &config, std::int64_t layerIndex, AttentionKind kind)
    : c_attn(register_module(
        "c_attn", Conv1D(config.nEmbd, (kind == AttentionKind::Cross ? 2 : 3) * config.nEmbd))),
      q_attn(kind == AttentionKind::Cross
              ? register_module("q_attn", Conv1D(config.nEmbd, config.nEmbd))
              : Conv1D(nullptr)),
      c_proj(register_module("c_proj", Conv1D(config.nEmbd, config.nEmbd))),
      attn_dropout(register_module("attn_dropout", FastDropout(config.attnPdrop))),
      resid_dropout(register_module("resid_dropout", FastDropout(config.residPdrop))), m_kind(kind),
      m_layer(layerIndex), m_nHead(config.nHead), m_headDim(config.headDim())
{
    m_scale = config.scaleAttnWeights ? 1.0 / std::sqrt(double(m_headDim)) : 1.0;
    if (config.scaleAttnByInverseLayerIdx)
        m_scale /= double(layerIndex + 1);
}

torch::Tensor Gpt2AttentionImpl::forward(const torch::Tensor &x, KvCache *cache,
    const torch::Tensor &ignoreKeys, const torch::Tensor &memory)
{
    const auto B = x.size(0), T = x.size(1), C = x.size(2);
    auto heads = [&](const torch::Tensor &t) { // (B, L, C) -> (B, nh, L, hs)
        return t.view({ B, t.size(1), m_nHead, m_headDim }).transpose(1, 2);
    };
    torch::Tensor q, k, v;
    std::int64_t past = 0;
    if (m_kind == AttentionKind::Cross) {
        q = heads(q_attn(x));
        const auto layer = std::size_t(m_layer);
        if (cache && layer < cache->m_crossKeys.size() && cache->m_crossKeys[layer].defined()) {
            k = cache->m_crossKeys[layer];
            v = cache->m_crossValues[layer];
        } else {
            auto kv = c_attn(memory).split(C, /*dim=*/2);
            k = heads(kv[0]), v = heads(kv[1]); // (B, nh, S, hs)
            if (cache) {
                cache->m_crossKeys.resize(std::max(cache->m_crossKeys.size(), layer + 1));
                cache->m_crossValues.resize(cache->m_crossKeys.size());
                cache->m_crossKeys[layer] = k;
                cache->m_crossValues[layer] = v;
            }
        }
    } else {
        auto packed = c_attn(x); // (B, T, 3C)
        if (!cache && m_kind == AttentionKind::Causal && !ignoreKeys.defined() && T > 1
            && causalSelfAttentionApplies(packed)) {
            const double p = attn_dropout->is_training() ? attn_dropout->p() : 0.0;
            return resid_dropout(c_proj(causalSelfAttention(packed, m_nHead, m_scale, p)));
        }
        auto qkv = packed.split(C, /*dim=*/2);
        q = heads(qkv[0]), k = heads(qkv[1]), v = heads(qkv[2]);
        if (cache) {
            past = cache->m_length;
            auto &keys = cache->m_keys[m_layer];
            auto &values = cache->m_values[m_layer];
            keys.narrow(2, past, T).copy_(k);
            values.narrow(2, past, T).copy_(v);
            k = keys.narrow(2, 0, past + T);
            v = values.narrow(2, 0, past + T);
        }
    }

    auto att = torch::matmul(q, k.transpose(-2, -1)); // (B, nh, T, keys)
    if (m_kind == AttentionKind::Causal && !ignoreKeys.defined()) {
        // Query i (absolute position past+i) sees keys 0..past+i.
        att = causalSoftmax(att, m_scale, past);
    } else {
        if (m_scale != 1.0)
            att.mul_(m_scale);
        if (m_kind == AttentionKind::Causal && T > 1) {
            auto mask
                = torch::ones({ T, past + T }, att.options().dtype(torch::kBool)).triu(past + 1);
            att.masked_fill_(mask, -std::numeric_limits<float>::infinity());
        }
        // Padding keys get the lowest finite score, as HF's finfo.min: a query whose keys are
        // all padding then averages them instead of producing NaN.
        if (ignoreKeys.defined())
            att.masked_fill_(ignoreKeys, std::numeric_limits<float>::lowest());
        att = torch::softmax(att, -1);
    }
    att = attn_dropout(att);
    auto y = torch::matmul(att, v).transpose(1, 2).reshape({ B, T, C }); // (B, T, C)
    return resid_dropout(c_proj(y));
}

Gpt2MlpImpl::Gpt2MlpImpl(const Gpt2Config &config)
    : c_fc(register_module("c_fc", Conv1D(config.nEmbd, config.innerDim()))),
      c_proj(register_module("c_proj", Conv1D(config.innerDim(), config.nEmbd))),
      dropout(register_module("dropout", FastDropout(config.residPdrop))),
      m_activation(config.activation)
{ }

torch::Tensor Gpt2MlpImpl::forward(const torch::Tensor &x)
{
    auto hidden = c_fc(x);
    switch (m_activation) {
    case Activation::GeluNew:
    case Activation::GeluPytorchTanh:
        hidden = sigmoidGatedActivation(hidden, kGeluTanhLinear, kGeluTanhCubic,
            [](const torch::Tensor &t) { return torch::gelu(t, "tanh"); });
        break;
    case Activation::Gelu:
        hidden = torch::gelu(hidden);
        break;
    case Activation::Relu:
        hidden = torch::relu(hidden);
        break;
    case Activation::Silu:
        hidden = sigmoidGatedActivation(
            hidden, 1.0, 0.0, [](const torch::Tensor &t) { return torch::silu(t); });
        break;
    }
    return dropout(c_proj(hidden));
}

namespace {
torch::nn::LayerNorm layerNorm(const Gpt2Config &config)
{
    return torch::nn::LayerNorm(
        torch::nn::LayerNormOptions({ config.nEmbd }).eps(config.layerNormEpsilon));
}
} // namespace

Gpt2BlockImpl::Gpt2BlockImpl(
    const Gpt2Config &config, std::int64_t layerIndex, AttentionKind selfKind)
    : ln_1(register_module("ln_1", layerNorm(config))),
      attn(register_module("attn", Gpt2Attention(config, layerIndex, selfKind))),
      ln_cross_attn(config.addCrossAttention ? register_module("ln_cross_attn", layerNorm(config))
                                             : torch::nn::LayerNorm(nullptr)),
      crossattention(config.addCrossAttention ? register_module(
                         "crossattention", Gpt2Attention(config, layerIndex, AttentionKind::Cross))
                                              : Gpt2Attention(nullptr)),
      ln_2(register_module("ln_2", layerNorm(config))), mlp(register_module("mlp", Gpt2Mlp(config)))
{ }

torch::Tensor Gpt2BlockImpl::forward(const torch::Tensor &x, KvCache *cache,
    const torch::Tensor &ignoreKeys, const torch::Tensor &memory, const torch::Tensor &ignoreMemory)
{
    auto h = x + attn(ln_1(x), cache, ignoreKeys);
    if (crossattention && memory.defined())
        h = h + crossattention(ln_cross_attn(h), cache, ignoreMemory, memory);
    return h + mlp(ln_2(h));
}

Gpt2ModelImpl::Gpt2ModelImpl(const Gpt2Config &config)
    : wte(register_module("wte", torch::nn::Embedding(config.vocabSize, config.nEmbd))),
      wpe(register_module("wpe", torch::nn::Embedding(config.nPositions, config.nEmbd))),
      drop(register_module("drop", FastDropout(config.embdPdrop))),
      h(register_module("h", torch::nn::ModuleList())),
      ln_f(register_module("ln_f", layerNorm(config))), m_config(config)
{
    for (std::int64_t i = 0; i < config.nLayer; ++i)
        h->push_back(Gpt2Block(config, i));
}

torch::Tensor Gpt2ModelImpl::forward(const torch::Tensor &ids, KvCache *cache,
    std::vector<torch::Tensor> *hiddenStates, const torch::Tensor &encoderHidden,
    const torch::Tensor &encoderMask)
{
    const auto T = ids.size(1);
    const std::int64_t past = cache ? cache->m_length : 0;
    TORCH_CHECK(past + T <= m_config.nPositions, "sequence of ", past + T,
        " tokens exceeds n_positions ", m_config.nPositions);
    auto positions = torch::arange(past, past + T, ids.options().dtype(torch::kLong));
    auto x = drop(wte(ids) + wpe(positions)); // (B, T, C)
    TORCH_CHECK(!encoderHidden.defined() || m_config.addCrossAttention,
        "encoder hidden states given to a GPT-2 without cross-attention (add_cross_attention)");
    torch::Tensor ignoreMemory; // (B, 1, 1, S): true on the encoder's padding
    if (encoderHidden.defined() && encoderMask.defined())
        ignoreMemory = encoderMask.logical_not().view({ encoderMask.size(0), 1, 1, -1 });
    for (std::size_t i = 0; i < h->size(); ++i) {
        if (hiddenStates)
            hiddenStates->push_back(x);
        x = h[i]->as<Gpt2Block>()->forward(x, cache, {}, encoderHidden, ignoreMemory);
    }
    x = ln_f(x);
    if (hiddenStates)
        hiddenStates->push_back(x);
    if (cache)
        cache->m_length += T;
    return x;
}

Gpt2LMHeadModelImpl::Gpt2LMHeadModelImpl(const Gpt2Config &config)
    : transformer(register_module("transformer", Gpt2Model(config))), m_config(config)
{
    initWeights(0);
}

torch::Tensor Gpt2LMHeadModelImpl::forward(const torch::Tensor &ids, KvCache *cache,
    const torch::Tensor &encoderHidden, const torch::Tensor &encoderMask)
{
    return logits(transformer(ids, cache, nullptr, encoderHidden, encoderMask));
}

torch::Tensor Gpt2LMHeadModelImpl::logits(const torch::Tensor &hidden)
{
    const auto &wte = transformer->wte->weight; // (vocab, C)
    if (hidden.numel() == hidden.size(-1)) { // one position: GEMV, as in Conv1D
        auto shape = hidden.sizes().vec();
        shape.back() = wte.size(0);
        return torch::mv(wte, hidden.reshape({ -1 })).view(shape);
    }
    return torch::matmul(hidden, wte.t());
}

KvCache Gpt2LMHeadModelImpl::newCache(std::int64_t batch) const
{
    KvCache cache;
    cache.m_capacity = m_config.nPositions;
    const auto options = transformer->wte->weight.options().requires_grad(false);
    for (std::int64_t i = 0; i < m_config.nLayer; ++i) {
        cache.m_keys.push_back(torch::empty(
            { batch, m_config.nHead, m_config.nPositions, m_config.headDim() }, options));
        cache.m_values.push_back(torch::empty_like(cache.m_keys.back()));
    }
    return cache;
}

void Gpt2LMHeadModelImpl::initWeights(std::uint64_t seed)
{
    initGpt2Parameters(*this, m_config, seed);
}

void initGpt2Parameters(torch::nn::Module &module, const Gpt2Config &config, std::uint64_t seed)
{
    torch::NoGradGuard noGrad;
    auto generator = at::detail::createCPUGenerator(seed);
    const double std = config.initializerRange;
    const double projStd = std / std::sqrt(2.0 * double(config.nLayer));
    for (auto &item : module.named_parameters()) {
        const std::string &name = item.key();
        torch::Tensor &p = item.value();
        auto endsWith = [&](const std::string &suffix) {
            return name.size() >= suffix.size()
                && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        const bool isLayerNorm
            = name.compare(0, 3, "ln_") == 0 || name.find(".ln_") != std::string::npos;
        if (isLayerNorm)
            endsWith(".weight") ? p.fill_(1.0) : p.zero_();
        else if (endsWith(".bias"))
            p.zero_();
        else if (endsWith("c_proj.weight"))
            p.normal_(0.0, projStd, generator);
        else
            p.normal_(0.0, std, generator);
    }
}

} // namespace chatbench
