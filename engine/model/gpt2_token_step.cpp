#include "model/gpt2_token_step.h"

#include "model/float_kernels.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <tuple>

namespace chatbench {
namespace {

Gpt2BlockImpl &block(Gpt2LMHeadModelImpl &model, std::size_t i)
{
    return *model.transformer->h[i]->as<Gpt2Block>();
}

// Empty when t is a contiguous float32 CPU tensor of the given shape; otherwise why not.
std::string checkTensor(
    const torch::Tensor &t, const std::string &name, const std::vector<std::int64_t> &shape)
{
    if (!t.defined())
        return name + " is missing";
    if (!t.device().is_cpu() || t.scalar_type() != torch::kFloat || !t.is_contiguous())
        return name + " is not a contiguous float32 CPU tensor";
    if (t.sizes().vec() != shape)
        return name + " has an unexpected shape";
    return {};
}

// The products below split over the intra-op threads in tasks of at least ~128K weights:
// smaller ones are not worth a parallel region, whose threads wait whenever one of them is
// descheduled on a busy machine (OpenBLAS's own regions made tiny at 2 threads take 5 ms per
// token, or 200+ when they waited).
constexpr std::int64_t kTaskWeights = std::int64_t(1) << 17;

// y (= or +=) m x.

void multiplyInTasks(const Bf16Matrix &m, const float *x, float *y, bool accumulate)
{
    const std::int64_t grain = std::max<std::int64_t>(4, kTaskWeights / m.cols());
    at::parallel_for(0, m.rows(), grain,
        [&](std::int64_t begin, std::int64_t end) { m.multiply(x, y, begin, end, accumulate); });
}

// y += x w for a row-major w (rows, cols). Each task takes a band of rows, read front to back,
// into its own partial sum (the first task's straight into y): splitting the columns instead
// made every thread read short pieces of each row and ran slower than one thread.
void addVectorTimesMatrixInTasks(const float *w, std::int64_t rows, std::int64_t cols,
    const float *x, float *y, std::vector<float> &partials)
{
    const std::int64_t tasks = std::clamp<std::int64_t>(
        rows * cols / kTaskWeights, 1, std::min<std::int64_t>(at::get_num_threads(), rows));
    if (tasks == 1)
        return addVectorTimesMatrix(w, rows, cols, x, y);
    partials.assign(std::size_t((tasks - 1) * cols), 0.0f);
    at::parallel_for(0, tasks, 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = begin; t < end; ++t) {
            const std::int64_t first = rows * t / tasks, last = rows * (t + 1) / tasks;
            float *out = t == 0 ? y : partials.data() + (t - 1) * cols;
            addVectorTimesMatrix(w + first * cols, last - first, cols, x + first, out);
        }
    });
    for (std::int64_t t = 1; t < tasks; ++t) {
        const float *partial = partials.data() + (t - 1) * cols;
        for (std::int64_t c = 0; c < cols; ++c)
            y[c] += partial[c];
    }
}

// y = w x for a row-major w (rows, cols).
void matrixTimesVectorInTasks(
    const float *w, std::int64_t rows, std::int64_t cols, const float *x, float *y)
{
    const std::int64_t grain = std::max<std::int64_t>(4, kTaskWeights / cols);
    at::parallel_for(0, rows, grain, [&](std::int64_t begin, std::int64_t end) {
        matrixTimesVector(w, cols, x, y, begin, end);
    });
}

} // namespace

std::string Gpt2TokenStep::unsupportedReason(Gpt2LMHeadModelImpl &model, const KvCache &cache)
{
    const Gpt2Config &c = model.config();
    if (model.is_training())
        return "the model is in training mode (dropout)";
    if (c.addCrossAttention)
        return "the model has cross-attention";
    const std::int64_t C = c.nEmbd, inner = c.innerDim(), L = c.nLayer;
    if (std::int64_t(model.transformer->h->size()) != L)
        return "the model's block count differs from n_layer";
    const auto &t = model.transformer;
    std::string why = checkTensor(t->wte->weight, "wte", { c.vocabSize, C });
    why = why.empty() ? checkTensor(t->wpe->weight, "wpe", { c.nPositions, C }) : why;
    why = why.empty() ? checkTensor(t->ln_f->weight, "ln_f.weight", { C }) : why;
    why = why.empty() ? checkTensor(t->ln_f->bias, "ln_f.bias", { C }) : why;
    for (std::int64_t i = 0; i < L && why.empty(); ++i) {
        Gpt2BlockImpl &b = block(model, std::size_t(i));
        const std::string h = "h." + std::to_string(i) + ".";
        const std::tuple<const char *, const torch::Tensor *, std::vector<std::int64_t>> tensors[]
            = {
                  { "ln_1.weight", &b.ln_1->weight, { C } },
                  { "ln_1.bias", &b.ln_1->bias, { C } },
                  { "attn.c_attn.weight", &b.attn->c_attn->weight, { C, 3 * C } },
                  { "attn.c_attn.bias", &b.attn->c_attn->bias, { 3 * C } },
                  { "attn.c_proj.weight", &b.attn->c_proj->weight, { C, C } },
                  { "attn.c_proj.bias", &b.attn->c_proj->bias, { C } },
                  { "ln_2.weight", &b.ln_2->weight, { C } },
                  { "ln_2.bias", &b.ln_2->bias, { C } },
                  { "mlp.c_fc.weight", &b.mlp->c_fc->weight, { C, inner } },
                  { "mlp.c_fc.bias", &b.mlp->c_fc->bias, { inner } },
                  { "mlp.c_proj.weight", &b.mlp->c_proj->weight, { inner, C } },
                  { "mlp.c_proj.bias", &b.mlp->c_proj->bias, { C } },
              };
        for (const auto &[name, tensor, shape] : tensors)
            if (why.empty())
                why = checkTensor(*tensor, h + name, shape);
    }
    if (!why.empty())
        return why;
    if (std::int64_t(cache.m_keys.size()) != L || std::int64_t(cache.m_values.size()) != L)
        return "the cache has no keys and values for every layer";
    for (std::int64_t i = 0; i < L; ++i) {
        const std::vector<std::int64_t> shape = { 1, c.nHead, cache.capacity(), c.headDim() };
        why = checkTensor(cache.m_keys[std::size_t(i)], "cached keys", shape);
        why = why.empty() ? checkTensor(cache.m_values[std::size_t(i)], "cached values", shape)
                          : why;
        if (!why.empty())
            return why + " (the step needs a batch-1 cache)";
    }
    return {};
}

std::shared_ptr<const Bf16StepWeights> Gpt2TokenStep::bf16Weights(Gpt2LMHeadModelImpl &model)
{
    const Gpt2Config &c = model.config();
    std::vector<const torch::Tensor *> matrices;
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        Gpt2BlockImpl &b = block(model, std::size_t(i));
        matrices.insert(matrices.end(),
            { &b.attn->c_attn->weight, &b.attn->c_proj->weight, &b.mlp->c_fc->weight,
                &b.mlp->c_proj->weight });
    }
    matrices.push_back(&model.transformer->wte->weight);
    std::vector<std::pair<const void *, std::uint32_t>> sources;
    for (const torch::Tensor *t : matrices)
        sources.emplace_back(t->data_ptr(), t->_version());
    if (model.m_bf16StepWeights && model.m_bf16StepWeights->sources == sources)
        return model.m_bf16StepWeights;

    auto packed = std::make_shared<Bf16StepWeights>();
    // A Conv1D weight [in, out] packs as (out, in).
    const auto pack = [&](const torch::Tensor *t) {
        return Bf16Matrix::fromColumns(t->data_ptr<float>(), t->size(1), t->size(0));
    };
    for (std::size_t i = 0; i + 1 < matrices.size(); i += 4)
        packed->layers.push_back({ pack(matrices[i]), pack(matrices[i + 1]), pack(matrices[i + 2]),
            pack(matrices[i + 3]) });
    packed->lmHead = Bf16Matrix::fromRows(
        model.transformer->wte->weight.data_ptr<float>(), c.vocabSize, c.nEmbd);
    packed->sources = std::move(sources);
    model.m_bf16StepWeights = packed;
    return packed;
}

Gpt2TokenStep::Gpt2TokenStep(Gpt2LMHeadModelImpl &model, bool bf16Weights)
{
    const Gpt2Config &c = model.config();
    m_vocab = c.vocabSize;
    m_positions = c.nPositions;
    m_embd = c.nEmbd;
    m_heads = c.nHead;
    m_headDim = c.headDim();
    m_innerDim = c.innerDim();
    m_epsilon = float(c.layerNormEpsilon);
    m_activation = c.activation;
    const auto &t = model.transformer;
    m_wte = t->wte->weight.data_ptr<float>();
    m_wpe = t->wpe->weight.data_ptr<float>();
    m_lnFWeight = t->ln_f->weight.data_ptr<float>();
    m_lnFBias = t->ln_f->bias.data_ptr<float>();
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        Gpt2BlockImpl &b = block(model, std::size_t(i));
        // As Gpt2AttentionImpl computes it.
        double scale = c.scaleAttnWeights ? 1.0 / std::sqrt(double(m_headDim)) : 1.0;
        if (c.scaleAttnByInverseLayerIdx)
            scale /= double(i + 1);
        m_layers.push_back({ b.ln_1->weight.data_ptr<float>(), b.ln_1->bias.data_ptr<float>(),
            b.attn->c_attn->weight.data_ptr<float>(), b.attn->c_attn->bias.data_ptr<float>(),
            b.attn->c_proj->weight.data_ptr<float>(), b.attn->c_proj->bias.data_ptr<float>(),
            b.ln_2->weight.data_ptr<float>(), b.ln_2->bias.data_ptr<float>(),
            b.mlp->c_fc->weight.data_ptr<float>(), b.mlp->c_fc->bias.data_ptr<float>(),
            b.mlp->c_proj->weight.data_ptr<float>(), b.mlp->c_proj->bias.data_ptr<float>(),
            float(scale) });
    }
    m_x.resize(std::size_t(m_embd));
    m_norm.resize(std::size_t(m_embd));
    m_qkv.resize(std::size_t(3 * m_embd));
    m_attn.resize(std::size_t(m_embd));
    m_scores.resize(std::size_t(m_heads * m_positions));
    m_inner.resize(std::size_t(m_innerDim));
    if (bf16Weights)
        m_bf16 = Gpt2TokenStep::bf16Weights(model);
}

void Gpt2TokenStep::project(const float *weight, const Bf16Matrix *packed, const float *bias,
    const float *x, std::int64_t nIn, std::int64_t nOut, float *y, bool addToY)
{
    if (!packed) {
        // The bias first, then y += W^T x with W row-major [in, out].
        if (addToY)
            for (std::int64_t i = 0; i < nOut; ++i)
                y[i] += bias[i];
        else
            std::memcpy(y, bias, std::size_t(nOut) * sizeof(float));
        addVectorTimesMatrixInTasks(weight, nIn, nOut, x, y, m_partials);
        return;
    }
    multiplyInTasks(*packed, x, y, addToY);
    for (std::int64_t i = 0; i < nOut; ++i)
        y[i] += bias[i];
}

void Gpt2TokenStep::layerNorm(
    const float *x, const float *weight, const float *bias, float *out) const
{
    // Two passes in double: as exact as torch's float Welford, and 768 values cost nothing.
    double sum = 0;
    for (std::int64_t i = 0; i < m_embd; ++i)
        sum += x[i];
    const double mean = sum / double(m_embd);
    double squares = 0;
    for (std::int64_t i = 0; i < m_embd; ++i)
        squares += (x[i] - mean) * (x[i] - mean);
    const auto rstd = float(1.0 / std::sqrt(squares / double(m_embd) + m_epsilon));
    const auto m = float(mean);
    for (std::int64_t i = 0; i < m_embd; ++i)
        out[i] = (x[i] - m) * rstd * weight[i] + bias[i];
}

void Gpt2TokenStep::activate(float *x, std::int64_t n) const
{
    switch (m_activation) {
    case Activation::GeluNew:
    case Activation::GeluPytorchTanh: {
        multiplyBySigmoid(x, x, n, float(kGeluTanhLinear), float(kGeluTanhCubic));
        break;
    }
    case Activation::Gelu:
        for (std::int64_t i = 0; i < n; ++i)
            x[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * float(M_SQRT1_2)));
        break;
    case Activation::Relu:
        for (std::int64_t i = 0; i < n; ++i)
            x[i] = std::max(x[i], 0.0f);
        break;
    case Activation::Silu:
        multiplyBySigmoid(x, x, n, 1.0f, 0.0f);
        break;
    }
}

void Gpt2TokenStep::run(std::int64_t token, KvCache &cache, float *logits)
{
    const std::int64_t pos = cache.m_length, C = m_embd, hs = m_headDim;
    TORCH_CHECK(
        token >= 0 && token < m_vocab, "token id ", token, " outside the vocabulary of ", m_vocab);
    TORCH_CHECK(pos < m_positions && pos < cache.m_capacity, "position ", pos,
        " is beyond n_positions ", m_positions, " or the cache's capacity ", cache.m_capacity);
    float *x = m_x.data(), *norm = m_norm.data(), *qkv = m_qkv.data(), *attn = m_attn.data();
    float *inner = m_inner.data();
    const float *wte = m_wte + token * C, *wpe = m_wpe + pos * C;
    for (std::int64_t i = 0; i < C; ++i)
        x[i] = wte[i] + wpe[i];
    const std::int64_t keys = pos + 1, capacity = cache.m_capacity;
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        const Layer &w = m_layers[l];
        const Bf16StepWeights::Layer *packed = m_bf16 ? &m_bf16->layers[l] : nullptr;
        layerNorm(x, w.ln1Weight, w.ln1Bias, norm);
        project(
            w.qkvWeight, packed ? &packed->qkv : nullptr, w.qkvBias, norm, C, 3 * C, qkv, false);
        float *cachedKeys = cache.m_keys[l].data_ptr<float>(); // (1, nh, capacity, hs)
        float *cachedValues = cache.m_values[l].data_ptr<float>();
        // The heads in tasks of at least ~128K cached floats (K and V), over the intra-op
        // threads: one task below ~170 keys at base's width, so short contexts stay on one thread.
        const std::int64_t grain
            = std::max<std::int64_t>(1, kTaskWeights / std::max<std::int64_t>(1, 2 * keys * hs));
        at::parallel_for(0, m_heads, grain, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t h = begin; h < end; ++h) {
                float *k = cachedKeys + h * capacity * hs, *v = cachedValues + h * capacity * hs;
                std::memcpy(k + pos * hs, qkv + C + h * hs, std::size_t(hs) * sizeof(float));
                std::memcpy(v + pos * hs, qkv + 2 * C + h * hs, std::size_t(hs) * sizeof(float));
                // The new token sees every cached position and itself: scores = K q, then
                // out (hs) = V^T softmax(scale * scores).
                float *scores = m_scores.data() + h * m_positions;
                matrixTimesVector(k, hs, qkv + h * hs, scores, 0, keys);
                softmaxInPlace(scores, keys, w.scale);
                float *out = attn + h * hs;
                std::fill(out, out + hs, 0.0f);
                addVectorTimesMatrix(v, keys, hs, scores, out);
            }
        });
        project(w.attnProjWeight, packed ? &packed->attnProj : nullptr, w.attnProjBias, attn, C, C,
            x, true);
        layerNorm(x, w.ln2Weight, w.ln2Bias, norm);
        project(w.fcWeight, packed ? &packed->fc : nullptr, w.fcBias, norm, C, m_innerDim, inner,
            false);
        activate(inner, m_innerDim);
        project(w.mlpProjWeight, packed ? &packed->mlpProj : nullptr, w.mlpProjBias, inner,
            m_innerDim, C, x, true);
    }
    layerNorm(x, m_lnFWeight, m_lnFBias, norm);
    // The tied lm_head: logits (vocab) = wte (vocab, C) h.
    if (m_bf16) {
        multiplyInTasks(m_bf16->lmHead, norm, logits, false);
    } else {
        matrixTimesVectorInTasks(m_wte, m_vocab, C, norm, logits);
    }
    cache.m_length += 1;
}

} // namespace chatbench
