#pragma once
// Hand-written float32 CPU kernels: the matrix-vector products, attention softmax and activation
// of the batch-1 decoding step (gpt2_token_step.h), and the fused training ops' row kernels
// (fused_ops.h). Each has an AVX2 + FMA version and a portable one (cpu_kernel.h).
//
// Decoding at batch 1 is bound by the bytes of weights read per token, so both
// products read their matrix as one sequential stream, front to back: on the EPYC machines here
// that, with a software prefetch 8 KiB ahead, measured faster than OpenBLAS's sgemv on the same
// matrices (base's layers: 30-35 against 31-34 GB/s at one thread; small's: 46-48 against
// 32-41), and a task split over the intra-op threads (gpt2_token_step.cpp) replaces OpenBLAS's own
// threading, which waited on descheduled threads on a busy machine. Without AVX2
// the products go to CBLAS over the same ranges. Torch-free.

#include "model/cpu_kernel.h"

#include <cstdint>

namespace chatbench {

// y[c] += sum_r x[r] w[r][c], w row-major (rows, cols): x times a Conv1D weight [in, out] (or a
// band of its rows). One row at a time, so the matrix is read in memory order.
void addVectorTimesMatrix(const float *w, std::int64_t rows, std::int64_t cols, const float *x,
    float *y, CpuKernel kernel = bestCpuKernel());

// y[r] = sum_c w[r][c] x[c] for r in [rowBegin, rowEnd), w row-major (rows, cols): the tied
// lm_head's logits, one contiguous dot product per row. rowEnd <= the matrix's rows.
void matrixTimesVector(const float *w, std::int64_t cols, const float *x, float *y,
    std::int64_t rowBegin, std::int64_t rowEnd, CpuKernel kernel = bestCpuKernel());

// y[i] = x[i] * sigmoid(linear * x[i] + cubic * x[i]^3); y may be x. GELU's tanh form is this with
// linear = 2 sqrt(2 / pi) and cubic = linear * 0.044715, since (1 + tanh(u)) / 2 = sigmoid(2u);
// SiLU is linear = 1, cubic = 0. The AVX2 kernel's exp is accurate to ~2 ulp.
void multiplyBySigmoid(const float *x, float *y, std::int64_t n, float linear, float cubic,
    CpuKernel kernel = bestCpuKernel());
// GELU's tanh form (gelu_new) as multiplyBySigmoid's gate.
constexpr double kGeluTanhLinear = 1.5957691216057308; // 2 sqrt(2 / pi)
constexpr double kGeluTanhCubic = 0.07135481627260025; // 0.044715 kGeluTanhLinear

// x[0..n) = softmax(scale * x), scale > 0: one query's attention probabilities over its n keys.
void softmaxInPlace(float *x, std::int64_t n, float scale, CpuKernel kernel = bestCpuKernel());

// One query's row of a causal attention softmax over K keys, of which the first `visible` are
// seen: those become softmax(scale * x), the rest 0.
void causalSoftmaxRow(float *x, std::int64_t K, std::int64_t visible, float scale);

// Its gradient (dx may be dy): softmaxBackward over the visible keys, 0 beyond them.
void causalSoftmaxRowBackward(
    const float *p, const float *dy, float *dx, std::int64_t K, std::int64_t visible, float scale);

// The gradient through p = softmax(scale * s): from dy = dL/dp, dx = dL/ds =
// scale * p * (dy - sum_j p_j dy_j). dx may be dy.
void softmaxBackward(const float *p, const float *dy, float *dx, std::int64_t n, float scale,
    CpuKernel kernel = bestCpuKernel());

// The gradient through multiplyBySigmoid: from dy = dL/dy, dx = dL/dx for y = x s, s =
// sigmoid(linear x + cubic x^3): dy/dx = s + x s (1 - s) (linear + 3 cubic x^2). dx may be dy.
void multiplyBySigmoidBackward(const float *x, const float *dy, float *dx, std::int64_t n,
    float linear, float cubic, CpuKernel kernel = bestCpuKernel());

// Dropout over n elements that start at element firstIndex of a tensor: element i is kept when
// the top 16 bits of a counter-based hash of (firstIndex + i, seed) are >= threshold (p * 65536);
// then kept[i] = 1 and out[i] = in[i] * scale, else 0 and 0. The hash depends only on the index
// and the seed, so any split into tasks and either kernel draws the same mask.
void dropoutForward(const float *in, float *out, std::uint8_t *kept, std::int64_t n,
    std::uint64_t firstIndex, std::uint64_t seed, std::uint32_t threshold, float scale,
    CpuKernel kernel = bestCpuKernel());

// The gradient through dropoutForward: dx[i] = kept[i] ? dy[i] * scale : 0. dx may be dy.
void dropoutBackward(const std::uint8_t *kept, const float *dy, float *dx, std::int64_t n,
    float scale, CpuKernel kernel = bestCpuKernel());

} // namespace chatbench
