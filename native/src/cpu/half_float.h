// Bit-level f16 (IEEE binary16) and bf16 conversions, the scalar reference every SIMD kernel must
// match bit for bit. Integer-only, so the result never depends on the FP environment or on
// compiler contraction. `static inline` on purpose: this header is also compiled into the SIMD
// translation units, and internal linkage keeps the linker from ever picking one of their copies
// (built with -mavx512f...) for the portable code.
#pragma once

#include <cstdint>
#include <cstring>

namespace pxl::cpu {

static inline uint32_t float_bits(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

static inline float bits_float(uint32_t bits) {
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

// Round to nearest even; overflow gives inf; NaN stays NaN, quieted, keeping the top payload bits
// (what F16C's vcvtps2ph does, so the SIMD paths need no special case).
static inline uint16_t f32_to_f16(float value) {
    const uint32_t bits = float_bits(value);
    const uint32_t sign = (bits >> 16) & 0x8000u;
    const uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u | ((magnitude >> 13) & 0x3ffu));
    // 65520 = 65504 + half an ulp: ties round to the even neighbour 65536, which is inf.
    if (magnitude >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);
    if (magnitude >= 0x38800000u) {
        // Normal in f16: rebias the exponent (127 -> 15) and round the 13 dropped mantissa bits.
        const uint32_t odd = (magnitude >> 13) & 1u;
        const uint32_t rounded = magnitude - (112u << 23) + 0xfffu + odd;
        return static_cast<uint16_t>(sign | (rounded >> 13));
    }
    // Subnormal (or zero) in f16: count in units of 2^-24. Below 2^-25 everything rounds to zero,
    // and 2^-25 itself is a tie that goes to the even value 0.
    const uint32_t exponent = magnitude >> 23;
    if (exponent < 102) return static_cast<uint16_t>(sign);
    const uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126 - exponent;  // 14..24
    uint32_t units = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1u);
    const uint32_t half = 1u << (shift - 1);
    if (rest > half || (rest == half && (units & 1u) != 0)) ++units;  // may carry into the smallest normal
    return static_cast<uint16_t>(sign | units);
}

// Exact. NaN is quieted like F16C's vcvtph2ps does.
static inline float f16_to_f32(uint16_t half) {
    const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
    const uint32_t exponent = (half >> 10) & 0x1fu;
    uint32_t mantissa = half & 0x3ffu;
    if (exponent == 0x1f) {
        const uint32_t quiet = mantissa != 0 ? 0x400000u : 0u;
        return bits_float(sign | 0x7f800000u | quiet | (mantissa << 13));
    }
    if (exponent != 0) return bits_float(sign | ((exponent + 112u) << 23) | (mantissa << 13));
    if (mantissa == 0) return bits_float(sign);
    // Subnormal: shift the leading one into the implicit position.
    uint32_t biased = 113;  // exponent of 2^-14, the scale of a subnormal's leading bit
    while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        --biased;
    }
    return bits_float(sign | (biased << 23) | ((mantissa & 0x3ffu) << 13));
}

// The top half of the f32 with round to nearest even; NaN stays NaN (quieted).
static inline uint16_t f32_to_bf16(float value) {
    const uint32_t bits = float_bits(value);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x40u);
    const uint32_t odd = (bits >> 16) & 1u;
    return static_cast<uint16_t>((bits + 0x7fffu + odd) >> 16);
}

// Exact: bf16 is the top half of an f32.
static inline float bf16_to_f32(uint16_t value) { return bits_float(static_cast<uint32_t>(value) << 16); }

} // namespace pxl::cpu
