#include "model/causal_attention.h"

#include "model/float_kernels.h"
#include "model/fused_ops.h"

#include <ATen/Parallel.h>
#include <cblas.h>
#include <optional>
#include <torch/autograd.h>

namespace chatbench {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// The shape of one call: B sequences of T positions, nh heads of hs = C / nh.
struct Shape
{
    std::int64_t B, T, C, nh, hs;
    explicit Shape(const torch::Tensor &qkv, std::int64_t heads)
        : B(qkv.size(0)), T(qkv.size(1)), C(qkv.size(2) / 3), nh(heads), hs(C / heads)
    { }
    std::int64_t block() const { return T * T; } // one (batch, head)'s probabilities
};

// Row-major c (m x n) = op(a) op(b) + beta c, with leading dimensions.
void gemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, const float *a,
    std::int64_t lda, const float *b, std::int64_t ldb, float beta, float *c, std::int64_t ldc)
{
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
        transB ? CblasTrans : CblasNoTrans, int(m), int(n), int(k), 1.0f, a, int(lda), b, int(ldb),
        beta, c, int(ldc));
}

// The probabilities of (batch, head) task after dropout, into out (T x T): the masks are drawn
// over the element index of the whole (B, nh, T, T) tensor, so they do not depend on tasks.
const float *droppedProbabilities(const float *p, std::uint8_t *kept,
    const std::optional<DropoutDraw> &d, std::int64_t task, std::int64_t block,
    std::vector<float> &out)
{
    if (!d)
        return p + task * block;
    out.resize(std::size_t(block));
    dropoutForward(p + task * block, out.data(), kept + task * block, block,
        std::uint64_t(task * block), d->seed, d->threshold, d->scale);
    return out.data();
}

class CausalSelfAttentionFunction : public torch::autograd::Function<CausalSelfAttentionFunction>
{
public:
    static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &input,
        std::int64_t heads, double scale, double dropoutP)
    {
        auto qkv = input.contiguous();
        const Shape s(qkv, heads);
        auto y = torch::empty({ s.B, s.T, s.C }, qkv.options());
        auto p = torch::empty({ s.B, s.nh, s.T, s.T }, qkv.options());
        std::optional<DropoutDraw> d;
        torch::Tensor mask;
        if (dropoutP > 0) {
            d = drawDropout(dropoutP);
            mask = torch::empty({ s.B, s.nh, s.T, s.T }, qkv.options().dtype(torch::kUInt8));
        }
        const float *in = qkv.data_ptr<float>();
        float *probabilities = p.data_ptr<float>(), *out = y.data_ptr<float>();
        std::uint8_t *kept = d ? mask.data_ptr<std::uint8_t>() : nullptr;
        at::parallel_for(0, s.B * s.nh, 1, [&](std::int64_t begin, std::int64_t end) {
            std::vector<float> dropped;
            for (std::int64_t task = begin; task < end; ++task) {
                const std::int64_t b = task / s.nh, h = task % s.nh;
                const float *q = in + b * s.T * 3 * s.C + h * s.hs, *k = q + s.C, *v = q + 2 * s.C;
                float *scores = probabilities + task * s.block();
                gemm(false, true, s.T, s.T, s.hs, q, 3 * s.C, k, 3 * s.C, 0.0f, scores, s.T);
                for (std::int64_t i = 0; i < s.T; ++i) { // query i sees keys 0..i
                    float *row = scores + i * s.T;
                    causalSoftmaxRow(row, s.T, i + 1, float(scale));
                }
                const float *pd
                    = droppedProbabilities(probabilities, kept, d, task, s.block(), dropped);
                gemm(false, false, s.T, s.hs, s.T, pd, s.T, v, 3 * s.C, 0.0f,
                    out + b * s.T * s.C + h * s.hs, s.C);
            }
        });
        ctx->save_for_backward({ qkv, p, mask });
        ctx->saved_data["heads"] = heads;
        ctx->saved_data["scale"] = scale;
        ctx->saved_data["dropout_scale"] = d ? double(d->scale) : 0.0;
        return y;
    }

    static tensor_list backward(AutogradContext *ctx, tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &qkv = saved[0], &p = saved[1], &mask = saved[2];
        const Shape s(qkv, ctx->saved_data["heads"].toInt());
        const auto scale = float(ctx->saved_data["scale"].toDouble());
        const auto dropoutScale = float(ctx->saved_data["dropout_scale"].toDouble());
        auto dy = grads[0].contiguous();
        auto dqkv = torch::empty_like(qkv);
        const float *in = qkv.data_ptr<float>(), *probabilities = p.data_ptr<float>();
        const float *gradOut = dy.data_ptr<float>();
        const std::uint8_t *kept = mask.defined() ? mask.data_ptr<std::uint8_t>() : nullptr;
        float *gradIn = dqkv.data_ptr<float>();
        at::parallel_for(0, s.B * s.nh, 1, [&](std::int64_t begin, std::int64_t end) {
            std::vector<float> dScores(std::size_t(s.block())), dropped;
            for (std::int64_t task = begin; task < end; ++task) {
                const std::int64_t b = task / s.nh, h = task % s.nh;
                const std::int64_t offset = b * s.T * 3 * s.C + h * s.hs;
                const float *q = in + offset, *k = q + s.C, *v = q + 2 * s.C;
                const float *g = gradOut + b * s.T * s.C + h * s.hs,
                            *pt = probabilities + task * s.block();
                float *dq = gradIn + offset, *dk = dq + s.C, *dv = dq + 2 * s.C;
                float *ds = dScores.data();
                // The dropped probabilities, recomputed from p and the mask.
                const float *pd = pt;
                if (kept) {
                    dropped.resize(std::size_t(s.block()));
                    dropoutBackward(
                        kept + task * s.block(), pt, dropped.data(), s.block(), dropoutScale);
                    pd = dropped.data();
                }
                gemm(true, false, s.T, s.hs, s.T, pd, s.T, g, s.C, 0.0f, dv,
                    3 * s.C); // dV = Pd^T dY
                gemm(
                    false, true, s.T, s.T, s.hs, g, s.C, v, 3 * s.C, 0.0f, ds, s.T); // dPd = dY V^T
                if (kept) // dP = dPd * mask / (1 - p)
                    dropoutBackward(kept + task * s.block(), ds, ds, s.block(), dropoutScale);
                for (std::int64_t i = 0; i < s.T; ++i) {
                    float *row = ds + i * s.T;
                    causalSoftmaxRowBackward(pt + i * s.T, row, row, s.T, i + 1, scale);
                }
                gemm(false, false, s.T, s.hs, s.T, ds, s.T, k, 3 * s.C, 0.0f, dq, 3 * s.C); // dS K
                gemm(true, false, s.T, s.hs, s.T, ds, s.T, q, 3 * s.C, 0.0f, dk, 3 * s.C); // dS^T Q
            }
        });
        return { dqkv, torch::Tensor(), torch::Tensor(), torch::Tensor() };
    }
};

} // namespace

bool causalSelfAttentionApplies(const torch::Tensor &qkv)
{
    return qkv.is_cpu() && qkv.scalar_type() == torch::kFloat32 && qkv.dim() == 3;
}

torch::Tensor causalSelfAttention(
    const torch::Tensor &qkv, std::int64_t heads, double scale, double dropoutP)
{
    return CausalSelfAttentionFunction::apply(qkv, heads, scale, dropoutP);
}

} // namespace chatbench
