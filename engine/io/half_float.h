#pragma once
// IEEE binary16 (F16) and bfloat16 (BF16) <-> float32 bit conversions, exact in the widening
// direction and round-to-nearest-even in the narrowing one, as PyTorch and NumPy do, so a
// checkpoint written here reads back in Python with the same values. Works on bit patterns,
// not on a compiler's _Float16, which neither the standard nor every target offers.
// Internal to the engine.

#include <cstdint>
#include <cstring>

namespace chatbench {

inline std::uint32_t floatBits(float value)
{
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

inline float floatFromBits(std::uint32_t bits)
{
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

inline float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu;
    const std::uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0) {
        // Zero or subnormal: mantissa * 2^-24 is exact in float32 (10 significant bits).
        float magnitude = float(mantissa) * 0x1p-24f;
        return floatFromBits(floatBits(magnitude) | sign);
    }
    if (exponent == 0x1f) // inf, or NaN with its payload kept
        return floatFromBits(sign | 0x7f800000u | (mantissa << 13));
    // Rebias the exponent from 15 to 127.
    return floatFromBits(sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13));
}

inline std::uint16_t floatToHalf(float value)
{
    const std::uint32_t bits = floatBits(value);
    const std::uint16_t sign = std::uint16_t((bits >> 16) & 0x8000u);
    const std::uint32_t magnitude = bits & 0x7fffffffu;

    if (magnitude > 0x7f800000u) // NaN: keep the top payload bits, force quiet so it stays NaN
        return std::uint16_t(sign | 0x7e00u | ((magnitude >> 13) & 0x3ffu));
    // 65520 = 0x477ff000 is the midpoint between the largest half (65504) and 2^16; the tie
    // rounds to the even neighbour, 2^16, i.e. overflows to inf, as does everything above it.
    if (magnitude >= 0x477ff000u)
        return std::uint16_t(sign | 0x7c00u);
    if (magnitude >= 0x38800000u) { // >= 2^-14: normal half
        // Rebias the exponent, then round away the 13 low mantissa bits; a carry out of the
        // mantissa correctly bumps the exponent.
        const std::uint32_t rebiased = magnitude - ((127u - 15u) << 23);
        std::uint32_t half = rebiased >> 13;
        const std::uint32_t rest = rebiased & 0x1fffu;
        if (rest > 0x1000u || (rest == 0x1000u && (half & 1u)))
            ++half;
        return std::uint16_t(sign | half);
    }
    // 2^-25 is the midpoint between 0 and the smallest subnormal 2^-24: ties go to 0 (even).
    if (magnitude <= 0x33000000u)
        return sign;
    // Subnormal half: value / 2^-24 rounded to an integer. value = significand * 2^(e - 150),
    // so the quotient is significand >> (126 - e), with e in [102, 112] here.
    const std::uint32_t exponent = magnitude >> 23;
    const std::uint32_t significand = (magnitude & 0x7fffffu) | 0x800000u;
    const std::uint32_t shift = 126u - exponent;
    std::uint32_t half = significand >> shift;
    const std::uint32_t rest = significand & ((1u << shift) - 1u);
    const std::uint32_t midpoint = 1u << (shift - 1u);
    if (rest > midpoint || (rest == midpoint && (half & 1u)))
        ++half; // 0x3ff + 1 = 0x400 is the smallest normal: the bit pattern carries over
    return std::uint16_t(sign | half);
}

inline float bfloat16ToFloat(std::uint16_t b)
{
    return floatFromBits(std::uint32_t(b) << 16);
}

inline std::uint16_t floatToBfloat16(float value)
{
    const std::uint32_t bits = floatBits(value);
    // Truncating a NaN whose payload sits in the low 16 bits would make it inf.
    if ((bits & 0x7fffffffu) > 0x7f800000u)
        return std::uint16_t((bits >> 16) | 0x0040u);
    // Round to nearest even; finite values past the largest bfloat16 carry into inf, as they
    // should. Cannot wrap: the largest non-NaN pattern is 0xff800000.
    const std::uint32_t rounding = 0x7fffu + ((bits >> 16) & 1u);
    return std::uint16_t((bits + rounding) >> 16);
}

} // namespace chatbench
