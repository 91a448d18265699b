#include "model/float_kernels.h"

#include <algorithm>
#include <cblas.h>
#include <cmath>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define CHATBENCH_X86_KERNELS 1
#include <immintrin.h>
#endif

namespace chatbench {
namespace {

// The portable products: CBLAS (OpenBLAS where installed) over the same ranges.
void addVectorTimesMatrixPortable(
    const float *w, std::int64_t rows, std::int64_t cols, const float *x, float *y)
{
    cblas_sgemv(
        CblasRowMajor, CblasTrans, int(rows), int(cols), 1.0f, w, int(cols), x, 1, 1.0f, y, 1);
}

void matrixTimesVectorPortable(const float *w, std::int64_t cols, const float *x, float *y,
    std::int64_t rowBegin, std::int64_t rowEnd)
{
    cblas_sgemv(CblasRowMajor, CblasNoTrans, int(rowEnd - rowBegin), int(cols), 1.0f,
        w + rowBegin * cols, int(cols), x, 1, 0.0f, y + rowBegin, 1);
}

void multiplyBySigmoidPortable(const float *x, float *y, std::int64_t n, float linear, float cubic)
{
    for (std::int64_t i = 0; i < n; ++i) {
        const float v = x[i];
        y[i] = v / (1.0f + std::exp(-(linear * v + cubic * v * v * v)));
    }
}

void softmaxInPlacePortable(float *x, std::int64_t n, float scale)
{
    float top = -INFINITY;
    for (std::int64_t i = 0; i < n; ++i)
        top = std::max(top, x[i]);
    float total = 0;
    for (std::int64_t i = 0; i < n; ++i)
        total += (x[i] = std::exp(scale * (x[i] - top)));
    for (std::int64_t i = 0; i < n; ++i)
        x[i] /= total;
}

void softmaxBackwardPortable(
    const float *p, const float *dy, float *dx, std::int64_t n, float scale)
{
    float dot = 0;
    for (std::int64_t i = 0; i < n; ++i)
        dot += p[i] * dy[i];
    for (std::int64_t i = 0; i < n; ++i)
        dx[i] = scale * p[i] * (dy[i] - dot);
}

void multiplyBySigmoidBackwardPortable(
    const float *x, const float *dy, float *dx, std::int64_t n, float linear, float cubic)
{
    for (std::int64_t i = 0; i < n; ++i) {
        const float v = x[i], s = 1.0f / (1.0f + std::exp(-(linear * v + cubic * v * v * v)));
        dx[i] = dy[i] * (s + v * s * (1.0f - s) * (linear + 3.0f * cubic * v * v));
    }
}

// Two rounds of a 32-bit integer finaliser (Wellons' "lowbias32" constants) keyed by both halves
// of the seed: one multiply-xorshift chain per element, in eight 32-bit lanes with AVX2.
std::uint32_t mix32(std::uint32_t h)
{
    h ^= h >> 16;
    h *= 0x7feb352du;
    h ^= h >> 15;
    h *= 0x846ca68bu;
    return h ^ (h >> 16);
}

std::uint32_t dropoutDraw(std::uint64_t i, std::uint64_t seed)
{
    return mix32(mix32(std::uint32_t(i) ^ std::uint32_t(seed)) ^ std::uint32_t(seed >> 32)) >> 16;
}

void dropoutForwardPortable(const float *in, float *out, std::uint8_t *kept, std::int64_t n,
    std::uint64_t firstIndex, std::uint64_t seed, std::uint32_t threshold, float scale)
{
    for (std::int64_t i = 0; i < n; ++i) {
        const bool keep = dropoutDraw(firstIndex + std::uint64_t(i), seed) >= threshold;
        kept[i] = keep;
        out[i] = keep ? in[i] * scale : 0.0f;
    }
}

void dropoutBackwardPortable(
    const std::uint8_t *kept, const float *dy, float *dx, std::int64_t n, float scale)
{
    for (std::int64_t i = 0; i < n; ++i)
        dx[i] = kept[i] ? dy[i] * scale : 0.0f;
}

#ifdef CHATBENCH_X86_KERNELS

// The hardware prefetcher alone fell behind: 8 KiB ahead measured best on both preset widths.
constexpr int kPrefetchBytes = 8192;

__attribute__((target("avx2,fma"))) void addVectorTimesMatrixAvx2(
    const float *w, std::int64_t rows, std::int64_t cols, const float *x, float *y)
{
    const std::int64_t vectorEnd = cols / 32 * 32;
    for (std::int64_t r = 0; r < rows; ++r) {
        const float *row = w + r * cols;
        const __m256 xr = _mm256_set1_ps(x[r]);
        for (std::int64_t c = 0; c < vectorEnd; c += 32) {
            const char *ahead = reinterpret_cast<const char *>(row + c) + kPrefetchBytes;
            _mm_prefetch(ahead, _MM_HINT_T0);
            _mm_prefetch(ahead + 64, _MM_HINT_T0);
            // y stays in L1 (a few KiB); the weights stream past once.
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                float *yk = y + c + 8 * k;
                _mm256_storeu_ps(
                    yk, _mm256_fmadd_ps(xr, _mm256_loadu_ps(row + c + 8 * k), _mm256_loadu_ps(yk)));
            }
        }
        for (std::int64_t c = vectorEnd; c < cols; ++c)
            y[c] += x[r] * row[c];
    }
}

__attribute__((target("avx2,fma"))) void matrixTimesVectorAvx2(const float *w, std::int64_t cols,
    const float *x, float *y, std::int64_t rowBegin, std::int64_t rowEnd)
{
    const std::int64_t vectorEnd = cols / 32 * 32;
    for (std::int64_t r = rowBegin; r < rowEnd; ++r) {
        const float *row = w + r * cols;
        __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
            _mm256_setzero_ps() };
        for (std::int64_t c = 0; c < vectorEnd; c += 32) {
            const char *ahead = reinterpret_cast<const char *>(row + c) + kPrefetchBytes;
            _mm_prefetch(ahead, _MM_HINT_T0);
            _mm_prefetch(ahead + 64, _MM_HINT_T0);
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k)
                acc[k] = _mm256_fmadd_ps(
                    _mm256_loadu_ps(row + c + 8 * k), _mm256_loadu_ps(x + c + 8 * k), acc[k]);
        }
        const __m256 sum8
            = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
        const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(sum8), _mm256_extractf128_ps(sum8, 1));
        const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
        float dot = _mm_cvtss_f32(_mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1)));
        for (std::int64_t c = vectorEnd; c < cols; ++c)
            dot += row[c] * x[c];
        y[r] = dot;
    }
}

// exp(v) for v <= ~88.4 (inf above): Cody-Waite reduction v = n ln2 + f, |f| <= ln2 / 2, then
// Cephes's degree-6 polynomial for exp(f) and n added to the exponent. Below -87.3 it clamps to
// exp(-87.3), still a normal float, which the sigmoid turns into 1 anyway.
// Inlined: as a call it was ~0.5% of a tiny training step on its own.
inline __attribute__((always_inline, target("avx2,fma"))) __m256 exp8(__m256 v)
{
    v = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(-87.3f)), _mm256_set1_ps(88.4f));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(v, _mm256_set1_ps(1.44269504088896341f)),
        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 f = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), v);
    f = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), f);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(f, f), _mm256_add_ps(f, _mm256_set1_ps(1.0f)));
    // 2^n built in the exponent field; n = 128 (v near 88.4) gives exponent 255, infinity.
    const __m256i twoToN
        = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(twoToN));
}

__attribute__((target("avx2,fma"))) void multiplyBySigmoidAvx2(
    const float *x, float *y, std::int64_t n, float linear, float cubic)
{
    const __m256 a = _mm256_set1_ps(-linear), b = _mm256_set1_ps(-cubic), one = _mm256_set1_ps(1);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        // -(linear v + cubic v^3) = v (-linear - cubic v^2); a NaN v stays NaN through the
        // division.
        const __m256 u = _mm256_mul_ps(v, _mm256_fmadd_ps(b, _mm256_mul_ps(v, v), a));
        _mm256_storeu_ps(y + i, _mm256_div_ps(v, _mm256_add_ps(one, exp8(u))));
    }
    multiplyBySigmoidPortable(x + i, y + i, n - i, linear, cubic);
}

__attribute__((target("avx2,fma"))) float horizontalMax(__m256 v)
{
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    return _mm_cvtss_f32(_mm_max_ss(m, _mm_shuffle_ps(m, m, 1)));
}

__attribute__((target("avx2,fma"))) float horizontalSum(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
}

__attribute__((target("avx2,fma"))) void softmaxInPlaceAvx2(float *x, std::int64_t n, float scale)
{
    const std::int64_t vectorEnd = n / 8 * 8;
    __m256 top8 = _mm256_set1_ps(-INFINITY);
    for (std::int64_t i = 0; i < vectorEnd; i += 8)
        top8 = _mm256_max_ps(top8, _mm256_loadu_ps(x + i));
    float top = horizontalMax(top8);
    for (std::int64_t i = vectorEnd; i < n; ++i)
        top = std::max(top, x[i]);
    const __m256 scale8 = _mm256_set1_ps(scale), shift8 = _mm256_set1_ps(top);
    __m256 total8 = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < vectorEnd; i += 8) {
        const __m256 e = exp8(_mm256_mul_ps(scale8, _mm256_sub_ps(_mm256_loadu_ps(x + i), shift8)));
        _mm256_storeu_ps(x + i, e);
        total8 = _mm256_add_ps(total8, e);
    }
    float total = horizontalSum(total8);
    for (std::int64_t i = vectorEnd; i < n; ++i)
        total += (x[i] = std::exp(scale * (x[i] - top)));
    const float inverse = 1.0f / total;
    for (std::int64_t i = 0; i < n; ++i)
        x[i] *= inverse;
}

__attribute__((target("avx2,fma"))) void softmaxBackwardAvx2(
    const float *p, const float *dy, float *dx, std::int64_t n, float scale)
{
    const std::int64_t vectorEnd = n / 8 * 8;
    __m256 dot8 = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < vectorEnd; i += 8)
        dot8 = _mm256_fmadd_ps(_mm256_loadu_ps(p + i), _mm256_loadu_ps(dy + i), dot8);
    float dot = horizontalSum(dot8);
    for (std::int64_t i = vectorEnd; i < n; ++i)
        dot += p[i] * dy[i];
    const __m256 dot_ = _mm256_set1_ps(dot), scale8 = _mm256_set1_ps(scale);
    for (std::int64_t i = 0; i < vectorEnd; i += 8) {
        const __m256 sp = _mm256_mul_ps(scale8, _mm256_loadu_ps(p + i));
        _mm256_storeu_ps(dx + i, _mm256_mul_ps(sp, _mm256_sub_ps(_mm256_loadu_ps(dy + i), dot_)));
    }
    for (std::int64_t i = vectorEnd; i < n; ++i)
        dx[i] = scale * p[i] * (dy[i] - dot);
}

__attribute__((target("avx2,fma"))) void multiplyBySigmoidBackwardAvx2(
    const float *x, const float *dy, float *dx, std::int64_t n, float linear, float cubic)
{
    const __m256 a = _mm256_set1_ps(-linear), b = _mm256_set1_ps(-cubic), one = _mm256_set1_ps(1);
    const __m256 slope = _mm256_set1_ps(linear), slope3 = _mm256_set1_ps(3.0f * cubic);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i), v2 = _mm256_mul_ps(v, v);
        const __m256 s = _mm256_div_ps(
            one, _mm256_add_ps(one, exp8(_mm256_mul_ps(v, _mm256_fmadd_ps(b, v2, a)))));
        // s + v s (1 - s) (linear + 3 cubic v^2)
        const __m256 slopeAtV = _mm256_fmadd_ps(slope3, v2, slope);
        const __m256 gate = _mm256_fmadd_ps(
            _mm256_mul_ps(_mm256_mul_ps(v, s), _mm256_sub_ps(one, s)), slopeAtV, s);
        _mm256_storeu_ps(dx + i, _mm256_mul_ps(_mm256_loadu_ps(dy + i), gate));
    }
    multiplyBySigmoidBackwardPortable(x + i, dy + i, dx + i, n - i, linear, cubic);
}

__attribute__((target("avx2,fma"))) __m256i mix32x8(__m256i h)
{
    h = _mm256_xor_si256(h, _mm256_srli_epi32(h, 16));
    h = _mm256_mullo_epi32(h, _mm256_set1_epi32(0x7feb352d));
    h = _mm256_xor_si256(h, _mm256_srli_epi32(h, 15));
    h = _mm256_mullo_epi32(h, _mm256_set1_epi32(int(0x846ca68bu)));
    return _mm256_xor_si256(h, _mm256_srli_epi32(h, 16));
}

__attribute__((target("avx2,fma"))) void dropoutForwardAvx2(const float *in, float *out,
    std::uint8_t *kept, std::int64_t n, std::uint64_t firstIndex, std::uint64_t seed,
    std::uint32_t threshold, float scale)
{
    const __m256i seedLow = _mm256_set1_epi32(int(std::uint32_t(seed)));
    const __m256i seedHigh = _mm256_set1_epi32(int(std::uint32_t(seed >> 32)));
    // draw >= threshold, as draw > threshold - 1 (draws and threshold fit in 17 bits, signed-safe)
    const __m256i below = _mm256_set1_epi32(int(threshold) - 1), one = _mm256_set1_epi32(1);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256 scale8 = _mm256_set1_ps(scale);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i index = _mm256_add_epi32(
            _mm256_set1_epi32(int(std::uint32_t(firstIndex + std::uint64_t(i)))), lanes);
        const __m256i draw = _mm256_srli_epi32(
            mix32x8(_mm256_xor_si256(mix32x8(_mm256_xor_si256(index, seedLow)), seedHigh)), 16);
        const __m256i keep = _mm256_cmpgt_epi32(draw, below);
        _mm256_storeu_ps(out + i,
            _mm256_and_ps(
                _mm256_mul_ps(_mm256_loadu_ps(in + i), scale8), _mm256_castsi256_ps(keep)));
        const __m256i bits = _mm256_and_si256(keep, one);
        const __m128i words
            = _mm_packus_epi32(_mm256_castsi256_si128(bits), _mm256_extracti128_si256(bits, 1));
        _mm_storel_epi64(reinterpret_cast<__m128i *>(kept + i), _mm_packus_epi16(words, words));
    }
    dropoutForwardPortable(
        in + i, out + i, kept + i, n - i, firstIndex + std::uint64_t(i), seed, threshold, scale);
}

__attribute__((target("avx2,fma"))) void dropoutBackwardAvx2(
    const std::uint8_t *kept, const float *dy, float *dx, std::int64_t n, float scale)
{
    const __m256 scale8 = _mm256_set1_ps(scale);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i flags
            = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(kept + i)));
        const __m256 keep = _mm256_castsi256_ps(_mm256_cmpgt_epi32(flags, _mm256_setzero_si256()));
        _mm256_storeu_ps(
            dx + i, _mm256_and_ps(_mm256_mul_ps(_mm256_loadu_ps(dy + i), scale8), keep));
    }
    dropoutBackwardPortable(kept + i, dy + i, dx + i, n - i, scale);
}

#endif

} // namespace

// The AVX2 kernel where chosen (and built), the portable one otherwise.
#ifdef CHATBENCH_X86_KERNELS
#define CHATBENCH_DISPATCH(kernel, name, ...)                                                      \
    ((kernel) == CpuKernel::Avx2 ? name##Avx2(__VA_ARGS__) : name##Portable(__VA_ARGS__))
#else
#define CHATBENCH_DISPATCH(kernel, name, ...) ((void)(kernel), name##Portable(__VA_ARGS__))
#endif

void addVectorTimesMatrix(const float *w, std::int64_t rows, std::int64_t cols, const float *x,
    float *y, CpuKernel kernel)
{
    CHATBENCH_DISPATCH(kernel, addVectorTimesMatrix, w, rows, cols, x, y);
}

void matrixTimesVector(const float *w, std::int64_t cols, const float *x, float *y,
    std::int64_t rowBegin, std::int64_t rowEnd, CpuKernel kernel)
{
    CHATBENCH_DISPATCH(kernel, matrixTimesVector, w, cols, x, y, rowBegin, rowEnd);
}

void multiplyBySigmoid(
    const float *x, float *y, std::int64_t n, float linear, float cubic, CpuKernel kernel)
{
    CHATBENCH_DISPATCH(kernel, multiplyBySigmoid, x, y, n, linear, cubic);
}

void softmaxInPlace(float *x, std::int64_t n, float scale, CpuKernel kernel)
{
    CHATBENCH_DISPATCH(kernel, softmaxInPlace, x, n, scale);
}

void softmaxBackward(
    const float *p, const float *dy, float *dx, std::int64_t n, float scale, CpuKernel kernel)
{
    CHATBENCH_DISPATCH(kernel, softmaxBackward, p, dy, dx, n, scale);
}

void multiplyBySigmoidBackward(const float *x, const float *dy, float *dx, std::int64_t n,
    float linear, float cubic, CpuKernel kernel)
{
    CHATBENCH_DISPATCH(kernel, multiplyBySigmoidBackward, x, dy, dx, n, linear, cubic);
}

void dropoutForward(const float *in, float *out, std::uint8_t *kept, std::int64_t n,
    std::uint64_t firstIndex, std::uint64_t seed, std::uint32_t threshold, float scale,
    CpuKernel kernel)
{
    CHATBENCH_DISPATCH(
        kernel, dropoutForward, in, out, kept, n, firstIndex, seed, threshold, scale);
}

void dropoutBackward(const std::uint8_t *kept, const float *dy, float *dx, std::int64_t n,
    float scale, CpuKernel kernel)
{
    CHATBENCH_DISPATCH(kernel, dropoutBackward, kept, dy, dx, n, scale);
}

void causalSoftmaxRow(float *x, std::int64_t K, std::int64_t visible, float scale)
{
    softmaxInPlace(x, visible, scale);
    std::fill(x + visible, x + K, 0.0f);
}

void causalSoftmaxRowBackward(
    const float *p, const float *dy, float *dx, std::int64_t K, std::int64_t visible, float scale)
{
    softmaxBackward(p, dy, dx, visible, scale);
    std::fill(dx + visible, dx + K, 0.0f);
}

} // namespace chatbench
