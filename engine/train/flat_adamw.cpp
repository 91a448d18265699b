#include "train/flat_adamw.h"

#include <ATen/ATen.h>
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
    m_params = torch::empty({ total }, torch::kFloat32);
    m_grads = torch::zeros({ total }, torch::kFloat32);
    m_expAvg = torch::zeros({ total }, torch::kFloat32);
    m_expAvgSq = torch::zeros({ total }, torch::kFloat32);

    torch::NoGradGuard noGrad;
    std::int64_t offset = 0;
    for (auto &p : params) {
        const auto n = p.numel();
        auto slot = m_params.narrow(0, offset, n).view(p.sizes());
        slot.copy_(p);
        p.set_data(slot);
        // Autograd accumulates into a defined .grad in place, so backward writes the flat buffer.
        p.mutable_grad() = m_grads.narrow(0, offset, n).view(p.sizes());
        offset += n;
    }
}

double FlatAdamW::clipGradNorm(double maxNorm)
{
    torch::NoGradGuard noGrad;
    const double norm = m_grads.norm().item<double>();
    if (maxNorm > 0 && norm > maxNorm)
        m_grads.mul_(maxNorm / (norm + 1e-6));
    return norm;
}

void FlatAdamW::step(double lr)
{
    torch::NoGradGuard noGrad;
    ++m_step;
    const auto &o = m_options;
    if (o.weightDecay != 0 && m_decayed > 0)
        m_params.narrow(0, 0, m_decayed).mul_(1.0 - lr * o.weightDecay);
    m_expAvg.mul_(o.beta1).add_(m_grads, 1.0 - o.beta1);
    m_expAvgSq.mul_(o.beta2).addcmul_(m_grads, m_grads, 1.0 - o.beta2);
    const double biasCorrection1 = 1.0 - std::pow(o.beta1, double(m_step));
    const double biasCorrection2 = 1.0 - std::pow(o.beta2, double(m_step));
    auto denom = (m_expAvgSq.sqrt() / std::sqrt(biasCorrection2)).add_(o.eps);
    m_params.addcdiv_(m_expAvg, denom, -lr / biasCorrection1);
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
