#include "model/bf16_matrix.h"

#include <cmath>
#include <cstring>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define CHATBENCH_X86_KERNELS 1
#include <immintrin.h>
#endif

namespace chatbench {

std::uint16_t toBf16(float value)
{
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    if (std::isnan(value))
        return std::uint16_t((bits >> 16) | 0x40); // keep it a (quiet) NaN
    bits += 0x7fff + ((bits >> 16) & 1);
    return std::uint16_t(bits >> 16);
}

float fromBf16(std::uint16_t value)
{
    const std::uint32_t bits = std::uint32_t(value) << 16;
    float out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

namespace {

constexpr std::int64_t kRows = Bf16Matrix::kGroupRows, kChunk = Bf16Matrix::kChunkCols;

// x reordered to match the weights, zero-padded to whole chunks. The AVX2 kernel loads 16
// weights as 8 32-bit lanes, each holding an even-index weight in its low half and the next
// odd-index one in its high half: a shift by 16 makes the even weights float32, masking the low
// half makes the odd ones, two cheap ops per 16 weights instead of two widening conversions and
// two shifts. So per block of 2W columns (W = 8 lanes; 1 for the portable loop, which keeps x's
// order) x holds its W even entries, then its W odd ones.
const float *evenOddOrder(const float *x, std::int64_t cols, std::int64_t chunks, int width)
{
    thread_local std::vector<float> reordered;
    reordered.assign(std::size_t(chunks * kChunk), 0.0f);
    for (std::int64_t c = 0; c < cols; ++c) {
        const std::int64_t block = c / (2 * width), i = c % (2 * width);
        reordered[std::size_t(block * 2 * width + (i % 2) * width + i / 2)] = x[c];
    }
    return reordered.data();
}

// Writes the dots of group g's rows that lie in [rowBegin, rowEnd).
void store(const float *dots, std::int64_t g, float *y, std::int64_t rowBegin, std::int64_t rowEnd,
    bool accumulate)
{
    for (std::int64_t k = 0; k < kRows; ++k) {
        const std::int64_t r = g * kRows + k;
        if (r >= rowBegin && r < rowEnd)
            y[r] = accumulate ? y[r] + dots[k] : dots[k];
    }
}

void multiplyPortable(const std::uint16_t *m, std::int64_t cols, std::int64_t chunks,
    const float *x, float *y, std::int64_t rowBegin, std::int64_t rowEnd, bool accumulate)
{
    // Width 1: x in its own order, zero-padded.
    const float *xr = evenOddOrder(x, cols, chunks, 1);
    for (std::int64_t g = rowBegin / kRows; g * kRows < rowEnd; ++g) {
        float dots[kRows] = {};
        const std::uint16_t *group = m + g * chunks * kRows * kChunk;
        for (std::int64_t j = 0; j < chunks; ++j)
            for (std::int64_t k = 0; k < kRows; ++k) {
                const std::uint16_t *w = group + (j * kRows + k) * kChunk;
                for (std::int64_t i = 0; i < kChunk; ++i)
                    dots[k] += fromBf16(w[i]) * xr[j * kChunk + i];
            }
        store(dots, g, y, rowBegin, rowEnd, accumulate);
    }
}

#ifdef CHATBENCH_X86_KERNELS

__attribute__((target("avx2,fma"))) float horizontalSum(__m256 v)
{
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}

__attribute__((target("avx2,fma"))) void multiplyAvx2(const std::uint16_t *m, std::int64_t cols,
    std::int64_t chunks, const float *x, float *y, std::int64_t rowBegin, std::int64_t rowEnd,
    bool accumulate)
{
    const float *xr = evenOddOrder(x, cols, chunks, 8);
    const __m256i high = _mm256_set1_epi32(int(0xffff0000u));
    for (std::int64_t g = rowBegin / kRows; g * kRows < rowEnd; ++g) {
        const std::uint16_t *w = m + g * chunks * kRows * kChunk;
        __m256 acc[kRows];
        for (auto &a : acc)
            a = _mm256_setzero_ps();
        for (std::int64_t j = 0; j < chunks; ++j, w += kRows * kChunk) {
            // The hardware prefetcher alone fell behind: 16 chunks (4 KiB) ahead measured best.
            for (int line = 0; line < 4; ++line)
                _mm_prefetch(reinterpret_cast<const char *>(w) + 4096 + 64 * line, _MM_HINT_T0);
            for (std::int64_t half = 0; half < 2; ++half) {
                const float *xh = xr + j * kChunk + half * 16;
                const __m256 even = _mm256_loadu_ps(xh), odd = _mm256_loadu_ps(xh + 8);
                // Unrolled, or GCC -O2 keeps acc in memory: a store-to-load chain per product.
#pragma GCC unroll 4
                for (std::int64_t k = 0; k < kRows; ++k) {
                    const __m256i pairs = _mm256_loadu_si256(
                        reinterpret_cast<const __m256i *>(w + k * kChunk + half * 16));
                    acc[k] = _mm256_fmadd_ps(
                        _mm256_castsi256_ps(_mm256_slli_epi32(pairs, 16)), even, acc[k]);
                    acc[k] = _mm256_fmadd_ps(
                        _mm256_castsi256_ps(_mm256_and_si256(pairs, high)), odd, acc[k]);
                }
            }
        }
        float dots[kRows];
        for (std::int64_t k = 0; k < kRows; ++k)
            dots[k] = horizontalSum(acc[k]);
        store(dots, g, y, rowBegin, rowEnd, accumulate);
    }
}

#endif

} // namespace

Bf16Matrix Bf16Matrix::pack(const float *values, std::int64_t rows, std::int64_t cols,
    std::int64_t rowStride, std::int64_t colStride)
{
    Bf16Matrix m;
    m.m_rows = rows;
    m.m_cols = cols;
    m.m_chunks = (cols + kChunkCols - 1) / kChunkCols;
    const std::int64_t groups = (rows + kGroupRows - 1) / kGroupRows;
    m.m_values.assign(std::size_t(groups * kGroupRows * m.m_chunks * kChunkCols), 0);
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c)
            m.m_values[std::size_t(m.index(r, c))] = toBf16(values[r * rowStride + c * colStride]);
    return m;
}

Bf16Matrix Bf16Matrix::fromRows(const float *values, std::int64_t rows, std::int64_t cols)
{
    return pack(values, rows, cols, cols, 1);
}

Bf16Matrix Bf16Matrix::fromColumns(const float *values, std::int64_t rows, std::int64_t cols)
{
    return pack(values, rows, cols, 1, rows);
}

void Bf16Matrix::multiply(const float *x, float *y, std::int64_t rowBegin, std::int64_t rowEnd,
    bool accumulate, CpuKernel kernel) const
{
    if (rowBegin >= rowEnd)
        return;
    // The padding beyond cols has zero weights, and evenOddOrder pads x with zeros.
    const std::uint16_t *m = m_values.data();
    switch (kernel) {
#ifdef CHATBENCH_X86_KERNELS
    case CpuKernel::Avx2:
        return multiplyAvx2(m, m_cols, m_chunks, x, y, rowBegin, rowEnd, accumulate);
#endif
    default:
        return multiplyPortable(m, m_cols, m_chunks, x, y, rowBegin, rowEnd, accumulate);
    }
}

} // namespace chatbench
