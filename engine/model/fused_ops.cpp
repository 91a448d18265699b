#include "model/fused_ops.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/autograd.h>

namespace chatbench {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

std::uint64_t splitmix64(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

std::uint64_t drawSeed()
{
    at::Generator gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return at::check_generator<at::CPUGeneratorImpl>(gen)->random64();
}

class DropoutFunction : public torch::autograd::Function<DropoutFunction>
{
public:
    static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &input, double p)
    {
        auto x = input.contiguous();
        auto y = torch::empty_like(x);
        auto mask = torch::empty(x.sizes(), x.options().dtype(torch::kUInt8));
        const float scale = float(1.0 / (1.0 - p));
        // Keep an element when its 16-bit draw is >= p * 65536: p is honoured to 1.5e-5.
        const auto threshold = std::uint32_t(p * 65536.0 + 0.5);
        const std::uint64_t seed = drawSeed();
        const float *in = x.data_ptr<float>();
        float *out = y.data_ptr<float>();
        std::uint8_t *keep = mask.data_ptr<std::uint8_t>();
        const std::int64_t n = x.numel(), blocks = (n + 3) / 4;
        at::parallel_for(0, blocks, 4096, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t b = begin; b < end; ++b) {
                std::uint64_t bits = splitmix64(seed ^ std::uint64_t(b) * 0xD1B54A32D192ED03ull);
                for (std::int64_t i = b * 4; i < std::min(n, b * 4 + 4); ++i, bits >>= 16) {
                    const bool k = (bits & 0xFFFF) >= threshold;
                    keep[i] = k;
                    out[i] = k ? in[i] * scale : 0.0f;
                }
            }
        });
        ctx->save_for_backward({ mask });
        ctx->saved_data["scale"] = double(scale);
        return y;
    }

    static tensor_list backward(AutogradContext *ctx, tensor_list grads)
    {
        auto mask = ctx->get_saved_variables()[0];
        const double scale = ctx->saved_data["scale"].toDouble();
        return { grads[0] * mask.to(torch::kFloat32).mul_(scale), torch::Tensor() };
    }
};

class CrossEntropyFunction : public torch::autograd::Function<CrossEntropyFunction>
{
public:
    // Returns (loss, argmax); argmax is not differentiable.
    static tensor_list forward(
        AutogradContext *ctx, const torch::Tensor &logits, const torch::Tensor &targets)
    {
        auto [rowMax, argmax] = logits.max(1);
        auto e = (logits - rowMax.unsqueeze(1)).exp_(); // (N, V), reused as the gradient
        auto sum = e.sum(1);
        auto picked = logits.gather(1, targets.unsqueeze(1)).squeeze(1);
        auto loss = (rowMax + sum.log() - picked).mean();
        ctx->save_for_backward({ e, sum, targets });
        ctx->mark_non_differentiable({ argmax });
        return { loss, argmax };
    }

    static tensor_list backward(AutogradContext *ctx, tensor_list grads)
    {
        auto saved = ctx->get_saved_variables();
        auto &e = saved[0];
        const auto &sum = saved[1], &targets = saved[2];
        // d mean(lse - x_t) / dx = (softmax - onehot(t)) / N, scaled by the incoming gradient.
        auto scale = grads[0] / double(e.size(0));
        auto grad = e.mul_((scale / sum).unsqueeze(1)); // in place: e is not needed again
        grad.scatter_add_(1, targets.unsqueeze(1), (-scale).expand({ e.size(0), 1 }).contiguous());
        return { grad, torch::Tensor() };
    }
};

} // namespace

torch::Tensor fastDropout(const torch::Tensor &x, double p, bool training)
{
    if (!training || p <= 0.0)
        return x;
    // The hand-written kernel reads float32 CPU memory; a GPU tensor, or a bf16 one from
    // autocast, takes ATen's dropout (on a GPU: drawn from the CUDA generator).
    if (!x.is_cpu() || x.scalar_type() != torch::kFloat32)
        return at::dropout(x, p, /*train=*/true);
    return DropoutFunction::apply(x, p);
}

CrossEntropy softmaxCrossEntropy(const torch::Tensor &logits, const torch::Tensor &targets)
{
    auto out = CrossEntropyFunction::apply(logits, targets);
    return { out[0], out[1] };
}

} // namespace chatbench
