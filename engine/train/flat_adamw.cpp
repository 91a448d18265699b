#include "train/flat_adamw.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <algorithm>
#include <cmath>

namespace chatbench {

FlatAdamW::FlatAdamW(torch::nn::Module &module, AdamWOptions options) : m_options(options)
{
    std::vector<torch::Tensor> params;
    for (const auto &p : module.parameters())
        if (p.requires_grad() && p.dim() >= 2)
            params.push_back(p);
    for (const auto &p : module.parameters())
        if (p.requires_grad() && p.dim() < 2)
            params.push_back(p);
    std::int64_t total = 0;
    for (const auto &p : params) {
        TORCH_CHECK(p.scalar_type() == torch::kFloat32, "FlatAdamW expects float32 parameters");
        if (p.dim() >= 2)
            m_decayed += p.numel();
        total += p.numel();
    }
    // The buffers live where the model does (moved there before the optimizer is built).
    const auto bufferOptions
        = torch::TensorOptions()
              .dtype(torch::kFloat32)
              .device(params.empty() ? torch::Device(torch::kCPU) : params.front().device());
    m_params = torch::empty({ total }, bufferOptions);
    m_grads = torch::zeros({ total }, bufferOptions);
    m_expAvg = torch::zeros({ total }, bufferOptions);
    m_expAvgSq = torch::zeros({ total }, bufferOptions);

    torch::NoGradGuard noGrad;
    std::int64_t offset = 0;
    for (auto &p : params) {
        const auto n = p.numel();
        auto slot = m_params.narrow(0, offset, n).view(p.sizes());
        slot.copy_(p);
        p.set_data(slot);
        m_parameterViews.push_back(p);
        // Autograd accumulates into a defined .grad in place, so backward writes the flat buffer.
        p.mutable_grad() = m_grads.narrow(0, offset, n).view(p.sizes());
        offset += n;
    }
}

double FlatAdamW::clipGradNorm(double maxNorm)
{
    torch::NoGradGuard noGrad;
    const double norm = m_grads.norm().item<double>();
    // Applied inside step()'s single pass instead of rewriting the whole gradient buffer here.
    m_gradScale = (maxNorm > 0 && norm > maxNorm) ? maxNorm / (norm + 1e-6) : 1.0;
    return norm;
}

namespace {

struct AdamWStep
{
    float beta1, beta2, eps, stepSize, invSqrtBias2, gradScale;

    // One pass over a range: everything the update reads and writes streams through the cache
    // once. Unfused tensor ops over a buffer this size (100+ MB) are bound by memory bandwidth,
    // seven passes instead of one.
    void apply(float *__restrict p, float *__restrict m, float *__restrict v,
        const float *__restrict g, std::int64_t n, float decay) const
    {
        for (std::int64_t i = 0; i < n; ++i) {
            const float grad = g[i] * gradScale;
            m[i] = beta1 * m[i] + (1.0f - beta1) * grad;
            v[i] = beta2 * v[i] + (1.0f - beta2) * grad * grad;
            p[i] = p[i] * decay - stepSize * m[i] / (std::sqrt(v[i]) * invSqrtBias2 + eps);
        }
    }
};

// The same update as AdamWStep::apply, as whole-buffer tensor ops: on a GPU each is one kernel
// over memory far faster than the CPU's, so fusing them by hand buys little.
void stepWithTensorOps(const AdamWStep &u, float decay, torch::Tensor &params, torch::Tensor &m,
    torch::Tensor &v, const torch::Tensor &grads, std::int64_t decayed)
{
    torch::NoGradGuard noGrad;
    auto grad = u.gradScale == 1.0f ? grads : grads * double(u.gradScale);
    m.mul_(double(u.beta1)).add_(grad, 1.0 - double(u.beta1));
    v.mul_(double(u.beta2)).addcmul_(grad, grad, 1.0 - double(u.beta2));
    if (decayed > 0 && decay != 1.0f)
        params.narrow(0, 0, decayed).mul_(double(decay));
    auto denominator = v.sqrt().mul_(double(u.invSqrtBias2)).add_(double(u.eps));
    params.addcdiv_(m, denominator, -double(u.stepSize));
}

} // namespace

void FlatAdamW::step(double lr)
{
    ++m_step;
    const auto &o = m_options;
    const double biasCorrection1 = 1.0 - std::pow(o.beta1, double(m_step));
    const double biasCorrection2 = 1.0 - std::pow(o.beta2, double(m_step));
    const AdamWStep update { float(o.beta1), float(o.beta2), float(o.eps),
        float(lr / biasCorrection1), float(1.0 / std::sqrt(biasCorrection2)), float(m_gradScale) };
    const float decay = float(1.0 - lr * o.weightDecay);
    if (o.tensorOps || !m_params.is_cpu()) {
        stepWithTensorOps(update, decay, m_params, m_expAvg, m_expAvgSq, m_grads, m_decayed);
        m_gradScale = 1.0;
        markParametersChanged();
        return;
    }
    float *p = m_params.data_ptr<float>();
    float *m = m_expAvg.data_ptr<float>();
    float *v = m_expAvgSq.data_ptr<float>();
    const float *g = m_grads.data_ptr<float>();
    at::parallel_for(0, m_params.numel(), 1 << 15, [&](std::int64_t begin, std::int64_t end) {
        // Elements below m_decayed get weight decay.
        const std::int64_t split = std::clamp(m_decayed, begin, end);
        update.apply(p + begin, m + begin, v + begin, g + begin, split - begin, decay);
        update.apply(p + split, m + split, v + split, g + split, end - split, 1.0f);
    });
    m_gradScale = 1.0;
    markParametersChanged();
}

void FlatAdamW::markParametersChanged()
{
    for (auto &p : m_parameterViews)
        p.unsafeGetTensorImpl()->bump_version();
}

void FlatAdamW::restore(
    const torch::Tensor &expAvg, const torch::Tensor &expAvgSq, std::int64_t step)
{
    TORCH_CHECK(expAvg.numel() == m_expAvg.numel() && expAvgSq.numel() == m_expAvgSq.numel(),
        "optimizer state has ", expAvg.numel(), " values, the model ", m_expAvg.numel());
    torch::NoGradGuard noGrad;
    m_expAvg.copy_(expAvg.reshape({ -1 }));
    m_expAvgSq.copy_(expAvgSq.reshape({ -1 }));
    m_step = step;
}

} // namespace chatbench
