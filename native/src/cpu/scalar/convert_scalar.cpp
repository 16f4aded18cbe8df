// Scalar reference conversions: the definition of every rounding rule the SIMD levels reproduce
// bit for bit, and the kernels of the scalar level.
#include "cpu/half_float.h"
#include "cpu/kernels.h"
#include "cpu/quant_blocks.h"

#include <cmath>

namespace pxl::cpu {

namespace {

void f16_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* in = static_cast<const uint16_t*>(src);
    for (int64_t i = 0; i < n; ++i) dst[i] = f16_to_f32(in[i]);
}

void bf16_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* in = static_cast<const uint16_t*>(src);
    for (int64_t i = 0; i < n; ++i) dst[i] = bf16_to_f32(in[i]);
}

void q8_0_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* blocks = static_cast<const block_q8_0*>(src);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const float d = f16_to_f32(blocks[b].d);
        for (int j = 0; j < k_qk; ++j) dst[b * k_qk + j] = static_cast<float>(blocks[b].qs[j]) * d;
    }
}

void q4_0_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* blocks = static_cast<const block_q4_0*>(src);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const float d = f16_to_f32(blocks[b].d);
        float* out = dst + b * k_qk;
        for (int j = 0; j < k_qk / 2; ++j) {
            out[j] = static_cast<float>((blocks[b].qs[j] & 0x0f) - 8) * d;
            out[j + k_qk / 2] = static_cast<float>((blocks[b].qs[j] >> 4) - 8) * d;
        }
    }
}

void f32_to_f16_row(const float* src, void* dst, int64_t n) {
    auto* out = static_cast<uint16_t*>(dst);
    for (int64_t i = 0; i < n; ++i) out[i] = f32_to_f16(src[i]);
}

void f32_to_bf16_row(const float* src, void* dst, int64_t n) {
    auto* out = static_cast<uint16_t*>(dst);
    for (int64_t i = 0; i < n; ++i) out[i] = f32_to_bf16(src[i]);
}

// q of one Q8_0 value from v = x * id: roundf, clamped to [-127, 127], NaN -> 0. The clamp and the
// NaN rule only act when 1 / d overflowed (a block of values below ~4e-37) or the input was not
// finite; they keep the float -> int conversion defined.
int8_t q8_value(float v) {
    if (v != v) return 0;
    const float r = std::round(v);
    return static_cast<int8_t>(r > 127.0f ? 127.0f : r < -127.0f ? -127.0f : r);
}

// q of one Q4_0 value from v = x * id + 8.5f: truncated toward zero and clamped to [0, 15] (the
// low clamp acts only when 1 / d overflowed), NaN -> 8.
int q4_value(float v) {
    if (v != v) return 8;
    return static_cast<int>(v > 15.0f ? 15.0f : v < 0.0f ? 0.0f : v);
}

// Q8_0, all in f32: amax = max |x| (NaNs ignored), d = amax / 127, id = d != 0 ? 1 / d : 0,
// q = q8_value(x * id); the f16 of d is stored.
void f32_to_q8_0_row(const float* src, void* dst, int64_t n) {
    auto* blocks = static_cast<block_q8_0*>(dst);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const float* x = src + b * k_qk;
        float amax = 0.0f;
        for (int j = 0; j < k_qk; ++j) {
            const float a = std::fabs(x[j]);
            if (a > amax) amax = a;
        }
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        blocks[b].d = f32_to_f16(d);
        for (int j = 0; j < k_qk; ++j) blocks[b].qs[j] = q8_value(x[j] * id);
    }
}

// Q4_0, all in f32: m = the value of largest magnitude (sign kept, first on ties, NaNs ignored),
// d = m / -8 (so m maps to nibble 0 and [-8, 7] is used asymmetrically, as GGUF's reference does),
// id = d != 0 ? 1 / d : 0, q = q4_value(x * id + 8.5f) with the multiply and the add rounded
// separately (a fused multiply-add changes some results); the f16 of d is stored.
void f32_to_q4_0_row(const float* src, void* dst, int64_t n) {
    auto* blocks = static_cast<block_q4_0*>(dst);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const float* x = src + b * k_qk;
        float amax = 0.0f;
        float m = 0.0f;
        for (int j = 0; j < k_qk; ++j) {
            const float a = std::fabs(x[j]);
            if (a > amax) {
                amax = a;
                m = x[j];
            }
        }
        const float d = m / -8.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        blocks[b].d = f32_to_f16(d);
        for (int j = 0; j < k_qk / 2; ++j) {
            const int lo = q4_value(x[j] * id + 8.5f);
            const int hi = q4_value(x[j + k_qk / 2] * id + 8.5f);
            blocks[b].qs[j] = static_cast<uint8_t>(lo | (hi << 4));
        }
    }
}

} // namespace

const convert_kernels scalar_convert_kernels = {
    f16_to_f32_row, bf16_to_f32_row, q8_0_to_f32_row, q4_0_to_f32_row,
    f32_to_f16_row, f32_to_bf16_row, f32_to_q8_0_row, f32_to_q4_0_row,
};

} // namespace pxl::cpu
