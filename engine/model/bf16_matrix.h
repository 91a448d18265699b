#pragma once
// A matrix stored in bfloat16 for matrix-vector products at batch 1, where decoding is bound by
// the bytes of weights read per token: half of float32's. Only the stored weights are rounded;
// the vector, the products and the sums stay float32 (each weight widens to float32 exactly, so
// a product differs from float32 weights only by that rounding). An AVX2 + FMA kernel where the
// CPU has it (chosen at run time), a portable loop elsewhere. An AVX-512 kernel measured slower
// than AVX2 on the EPYC (Zen 4) machines here, where 512-bit ops run as two 256-bit halves, and
// the product is bound by memory reads either way. Torch-free.

#include "model/cpu_kernel.h"

#include <cstdint>
#include <vector>

namespace chatbench {

// Round to nearest even, as torch's float -> bfloat16; NaN stays NaN.
std::uint16_t toBf16(float value);
float fromBf16(std::uint16_t value);

class Bf16Matrix
{
public:
    Bf16Matrix() = default;
    // From a row-major float32 matrix (rows, cols).
    static Bf16Matrix fromRows(const float *values, std::int64_t rows, std::int64_t cols);
    // From a row-major float32 matrix (cols, rows) — a Conv1D weight [in, out] becomes (out, in),
    // so that each output is one contiguous dot product.
    static Bf16Matrix fromColumns(const float *values, std::int64_t rows, std::int64_t cols);

    std::int64_t rows() const { return m_rows; }
    std::int64_t cols() const { return m_cols; }
    std::int64_t bytes() const { return std::int64_t(m_values.size() * sizeof(std::uint16_t)); }
    std::uint16_t at(std::int64_t row, std::int64_t col) const
    {
        return m_values[std::size_t(index(row, col))];
    }

    // y[r] = (accumulate ? y[r] : 0) + sum_c M[r][c] x[c] for r in [rowBegin, rowEnd).
    void multiply(const float *x, float *y, std::int64_t rowBegin, std::int64_t rowEnd,
        bool accumulate, CpuKernel kernel = bestCpuKernel()) const;

    // The layout: rows in groups of kGroupRows, columns in chunks of kChunkCols, a group's chunks
    // one after the other and, within a chunk, its rows' kChunkCols weights one after the other.
    // A product then reads one sequential stream: reading the rows of a group side by side from a
    // row-major matrix ran at half the memory bandwidth (each stream restarts the prefetcher at
    // every page). Rows and columns are padded with zeros to whole groups and chunks.
    static constexpr std::int64_t kGroupRows = 4, kChunkCols = 32;

private:
    std::int64_t index(std::int64_t row, std::int64_t col) const
    {
        return ((row / kGroupRows * m_chunks + col / kChunkCols) * kGroupRows + row % kGroupRows)
            * kChunkCols
            + col % kChunkCols;
    }
    // Element (r, c) is values[r * rowStride + c * colStride].
    static Bf16Matrix pack(const float *values, std::int64_t rows, std::int64_t cols,
        std::int64_t rowStride, std::int64_t colStride);

    std::int64_t m_rows = 0, m_cols = 0, m_chunks = 0;
    std::vector<std::uint16_t> m_values;
};

} // namespace chatbench
