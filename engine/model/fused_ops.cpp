#include "model/fused_ops.h"

#include "model/float_kernels.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/autograd.h>

namespace chatbench {

DropoutDraw drawDropout(double p)
{
    at::Generator gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return { at::check_generator<at::CPUGeneratorImpl>(gen)->random64(),
        std::uint32_t(p * 65536.0 + 0.5), float(1.0 / (1.0 - p)) };
}

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

class DropoutFunction : public torch::autograd::Function<DropoutFunction>
{
public:
    static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &input, double p)
    {
        auto x = input.contiguous();
        auto y = torch::empty_like(x);
        auto mask = torch::empty(x.sizes(), x.options().dtype(torch::kUInt8));
        const DropoutDraw d = drawDropout(p);
        const float *in = x.data_ptr<float>();
        float *out = y.data_ptr<float>();
        std::uint8_t *keep = mask.data_ptr<std::uint8_t>();
        at::parallel_for(0, x.numel(), 16384, [&](std::int64_t begin, std::int64_t end) {
            dropoutForward(in + begin, out + begin, keep + begin, end - begin, std::uint64_t(begin),
                d.seed, d.threshold, d.scale);
        });
        ctx->save_for_backward({ mask });
        ctx->saved_data["scale"] = double(d.scale);
        return y;
    }

    static tensor_list backward(AutogradContext *ctx, tensor_list grads)
    {
        auto mask = ctx->get_saved_variables()[0];
        const auto scale = float(ctx->saved_data["scale"].toDouble());
        // One pass, not a float copy of the mask, a scale and a product.
        auto grad = grads[0].contiguous();
        auto out = torch::empty_like(grad);
        const float *in = grad.data_ptr<float>();
        const std::uint8_t *keep = mask.data_ptr<std::uint8_t>();
        float *result = out.data_ptr<float>();
        at::parallel_for(0, grad.numel(), 16384, [&](std::int64_t begin, std::int64_t end) {
            dropoutBackward(keep + begin, in + begin, result + begin, end - begin, scale);
        });
        return { out, torch::Tensor() };
    }
};

// Rows of a contiguous (..., T, K) tensor in tasks of at least ~16K floats.
template<class RowFunction>
void forEachRow(const torch::Tensor &t, const RowFunction &f)
{
    const std::int64_t K = t.size(-1), rows = t.numel() / std::max<std::int64_t>(1, K);
    at::parallel_for(0, rows, std::max<std::int64_t>(1, 16384 / std::max<std::int64_t>(1, K)),
        [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t r = begin; r < end; ++r)
                f(r, r * K);
        });
}

// Query row r of each (T, K) block (absolute position past + r % T) sees keys 0..past + r % T.
std::int64_t visibleKeys(const torch::Tensor &t, std::int64_t row, std::int64_t past)
{
    return std::min(t.size(-1), past + row % t.size(-2) + 1);
}

torch::Tensor causalSoftmaxForward(const torch::Tensor &scores, float scale, std::int64_t past)
{
    auto p = scores.contiguous().clone();
    float *rows = p.data_ptr<float>();
    forEachRow(p, [&](std::int64_t row, std::int64_t offset) {
        causalSoftmaxRow(rows + offset, p.size(-1), visibleKeys(p, row, past), scale);
    });
    return p;
}

class CausalSoftmaxFunction : public torch::autograd::Function<CausalSoftmaxFunction>
{
public:
    static torch::Tensor forward(
        AutogradContext *ctx, const torch::Tensor &scores, double scale, std::int64_t past)
    {
        auto p = causalSoftmaxForward(scores, float(scale), past);
        ctx->save_for_backward({ p });
        ctx->saved_data["scale"] = scale;
        ctx->saved_data["past"] = past;
        return p;
    }

    static tensor_list backward(AutogradContext *ctx, tensor_list grads)
    {
        auto p = ctx->get_saved_variables()[0];
        const auto scale = float(ctx->saved_data["scale"].toDouble());
        const std::int64_t past = ctx->saved_data["past"].toInt();
        auto grad = grads[0].contiguous();
        auto out = torch::empty_like(grad);
        const float *probabilities = p.data_ptr<float>(), *dy = grad.data_ptr<float>();
        float *dx = out.data_ptr<float>();
        forEachRow(p, [&](std::int64_t row, std::int64_t offset) {
            causalSoftmaxRowBackward(probabilities + offset, dy + offset, dx + offset, p.size(-1),
                visibleKeys(p, row, past), scale);
        });
        return { out, torch::Tensor(), torch::Tensor() };
    }
};

torch::Tensor sigmoidGatedForward(const torch::Tensor &x, double linear, double cubic)
{
    auto y = torch::empty_like(x);
    const float *in = x.data_ptr<float>();
    float *out = y.data_ptr<float>();
    at::parallel_for(0, x.numel(), 16384, [&](std::int64_t begin, std::int64_t end) {
        multiplyBySigmoid(in + begin, out + begin, end - begin, float(linear), float(cubic));
    });
    return y;
}

class SigmoidGatedActivationFunction
    : public torch::autograd::Function<SigmoidGatedActivationFunction>
{
public:
    static torch::Tensor forward(
        AutogradContext *ctx, const torch::Tensor &input, double linear, double cubic)
    {
        auto x = input.contiguous();
        auto y = sigmoidGatedForward(x, linear, cubic);
        ctx->save_for_backward({ x });
        ctx->saved_data["linear"] = linear;
        ctx->saved_data["cubic"] = cubic;
        return y;
    }

    static tensor_list backward(AutogradContext *ctx, tensor_list grads)
    {
        auto x = ctx->get_saved_variables()[0];
        const auto linear = float(ctx->saved_data["linear"].toDouble());
        const auto cubic = float(ctx->saved_data["cubic"].toDouble());
        auto grad = grads[0].contiguous();
        auto out = torch::empty_like(grad);
        const float *in = x.data_ptr<float>(), *dy = grad.data_ptr<float>();
        float *dx = out.data_ptr<float>();
        at::parallel_for(0, x.numel(), 16384, [&](std::int64_t begin, std::int64_t end) {
            multiplyBySigmoidBackward(
                in + begin, dy + begin, dx + begin, end - begin, linear, cubic);
        });
        return { out, torch::Tensor(), torch::Tensor() };
    }
};

// The hand-written kernels read float32 CPU memory.
bool onCpuInFloat32(const torch::Tensor &t)
{
    return t.is_cpu() && t.scalar_type() == torch::kFloat32;
}

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
    if (!onCpuInFloat32(x))
        return at::dropout(x, p, /*train=*/true);
    return DropoutFunction::apply(x, p);
}

torch::Tensor causalSoftmax(const torch::Tensor &scores, double scale, std::int64_t past)
{
    if (!onCpuInFloat32(scores)) {
        const std::int64_t T = scores.size(-2), K = scores.size(-1);
        auto mask = torch::ones({ T, K }, scores.options().dtype(torch::kBool)).triu(past + 1);
        return torch::softmax(
            (scores * scale).masked_fill(mask, -std::numeric_limits<float>::infinity()), -1);
    }
    if (!torch::GradMode::is_enabled() || !scores.requires_grad())
        return causalSoftmaxForward(scores, float(scale), past);
    return CausalSoftmaxFunction::apply(scores, scale, past);
}

torch::Tensor sigmoidGatedActivation(const torch::Tensor &x, double linear, double cubic,
    const std::function<torch::Tensor(const torch::Tensor &)> &referenceActivation)
{
    if (!onCpuInFloat32(x))
        return referenceActivation(x);
    if (!torch::GradMode::is_enabled() || !x.requires_grad())
        return sigmoidGatedForward(x.contiguous(), linear, cubic);
    return SigmoidGatedActivationFunction::apply(x, linear, cubic);
}

CrossEntropy softmaxCrossEntropy(const torch::Tensor &logits, const torch::Tensor &targets)
{
    auto out = CrossEntropyFunction::apply(logits, targets);
    return { out[0], out[1] };
}

} // namespace chatbench
