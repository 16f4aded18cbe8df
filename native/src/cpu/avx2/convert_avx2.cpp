// AVX2 + F16C conversions. Bit-identical to scalar/convert_scalar.cpp: f16 through F16C (which
// rounds exactly as f32_to_f16 does), bf16 through integer arithmetic, the quantizers with the
// reference's rounding rebuilt from exact vector operations. Compiled with -ffp-contract=off
// (sources.cmake): a fused x * id + 8.5f would round differently from the reference.
//
// Only intrinsics and internal-linkage helpers here: an inline function or template shared with
// portable code could be merged by the linker into the AVX2 copy and run on a CPU without AVX2.
#include "cpu/half_float.h"
#include "cpu/kernels.h"
#include "cpu/quant_blocks.h"
#include "cpu/x86_intrinsics.h"

namespace pxl::cpu {

namespace {

constexpr int k_rounding = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;

// Tails shorter than a vector go through a zero-padded stack copy, so every element takes the
// same instruction path as the body.
void f16_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* in = static_cast<const uint16_t*>(src);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 8));
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(a));
        _mm256_storeu_ps(dst + i + 8, _mm256_cvtph_ps(b));
    }
    for (; i < n; i += 8) {
        const int64_t rest = n - i < 8 ? n - i : 8;
        uint16_t buffer[8] = {};
        float out[8];
        std::memcpy(buffer, in + i, static_cast<size_t>(rest) * sizeof(uint16_t));
        _mm256_storeu_ps(out, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(buffer))));
        std::memcpy(dst + i, out, static_cast<size_t>(rest) * sizeof(float));
    }
}

__m256 bf16x8_to_f32(__m128i bits) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(bits), 16)); }

void bf16_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* in = static_cast<const uint16_t*>(src);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        _mm256_storeu_ps(dst + i, bf16x8_to_f32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))));
        _mm256_storeu_ps(dst + i + 8, bf16x8_to_f32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 8))));
    }
    for (; i < n; i += 8) {
        const int64_t rest = n - i < 8 ? n - i : 8;
        uint16_t buffer[8] = {};
        float out[8];
        std::memcpy(buffer, in + i, static_cast<size_t>(rest) * sizeof(uint16_t));
        _mm256_storeu_ps(out, bf16x8_to_f32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(buffer))));
        std::memcpy(dst + i, out, static_cast<size_t>(rest) * sizeof(float));
    }
}

void q8_0_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* blocks = static_cast<const block_q8_0*>(src);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const __m256 d = _mm256_set1_ps(f16_to_f32(blocks[b].d));
        float* out = dst + b * k_qk;
        for (int j = 0; j < k_qk; j += 8) {
            const __m128i q = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(blocks[b].qs + j));
            _mm256_storeu_ps(out + j, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q)), d));
        }
    }
}

void q4_0_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* blocks = static_cast<const block_q4_0*>(src);
    const __m128i low_mask = _mm_set1_epi8(0x0f);
    const __m128i eight = _mm_set1_epi8(8);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const __m256 d = _mm256_set1_ps(f16_to_f32(blocks[b].d));
        const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[b].qs));
        // Values 0..15 are the low nibbles, 16..31 the high ones; recentred to -8..7 as int8.
        const __m128i halves[2] = {
            _mm_sub_epi8(_mm_and_si128(packed, low_mask), eight),
            _mm_sub_epi8(_mm_and_si128(_mm_srli_epi16(packed, 4), low_mask), eight),
        };
        float* out = dst + b * k_qk;
        for (int h = 0; h < 2; ++h) {
            const __m256 first = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(halves[h]));
            const __m256 second = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(halves[h], 8)));
            _mm256_storeu_ps(out + 16 * h, _mm256_mul_ps(first, d));
            _mm256_storeu_ps(out + 16 * h + 8, _mm256_mul_ps(second, d));
        }
    }
}

void f32_to_f16_row(const float* src, void* dst, int64_t n) {
    auto* out = static_cast<uint16_t*>(dst);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm256_cvtps_ph(_mm256_loadu_ps(src + i), k_rounding));
    if (i < n) {
        const int64_t rest = n - i;
        float buffer[8] = {};
        uint16_t halves[8];
        std::memcpy(buffer, src + i, static_cast<size_t>(rest) * sizeof(float));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(halves), _mm256_cvtps_ph(_mm256_loadu_ps(buffer), k_rounding));
        std::memcpy(out + i, halves, static_cast<size_t>(rest) * sizeof(uint16_t));
    }
}

// Round to nearest even on the bit pattern; NaN keeps its top half with the quiet bit set.
__m128i f32x8_to_bf16(__m256 v) {
    const __m256i bits = _mm256_castps_si256(v);
    const __m256i odd = _mm256_and_si256(_mm256_srli_epi32(bits, 16), _mm256_set1_epi32(1));
    const __m256i rounded = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(bits, _mm256_set1_epi32(0x7fff)), odd), 16);
    const __m256i quiet_nan = _mm256_or_si256(_mm256_srli_epi32(bits, 16), _mm256_set1_epi32(0x40));
    const __m256i is_nan = _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q));
    const __m256i result = _mm256_blendv_epi8(rounded, quiet_nan, is_nan);
    // Every lane is below 0x10000, so the unsigned-saturating pack is exact.
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(result, result), 0xd8);
    return _mm256_castsi256_si128(packed);
}

void f32_to_bf16_row(const float* src, void* dst, int64_t n) {
    auto* out = static_cast<uint16_t*>(dst);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), f32x8_to_bf16(_mm256_loadu_ps(src + i)));
    if (i < n) {
        const int64_t rest = n - i;
        float buffer[8] = {};
        uint16_t halves[8];
        std::memcpy(buffer, src + i, static_cast<size_t>(rest) * sizeof(float));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(halves), f32x8_to_bf16(_mm256_loadu_ps(buffer)));
        std::memcpy(out + i, halves, static_cast<size_t>(rest) * sizeof(uint16_t));
    }
}

__m256 abs_ps(__m256 v) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), v); }

// max |x| over 32 values. maxps returns its second operand when either is NaN, so NaNs are
// skipped exactly as the reference's `a > amax` skips them.
float block_amax(const __m256 x[4]) {
    __m256 m = _mm256_setzero_ps();
    for (int k = 0; k < 4; ++k) m = _mm256_max_ps(abs_ps(x[k]), m);
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm_cvtss_f32(h);
}

// clamp(roundf(v), -127, 127) with NaN -> 0, as the reference computes q from x * id. roundf is
// rebuilt exactly: v - trunc(v) is exact, so the tie test is too.
__m256i q8_value(__m256 v) {
    const __m256 is_number = _mm256_cmp_ps(v, v, _CMP_ORD_Q);
    const __m256 clamped = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(-127.0f)), _mm256_set1_ps(127.0f));
    const __m256 truncated = _mm256_round_ps(clamped, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 fraction = abs_ps(_mm256_sub_ps(clamped, truncated));
    const __m256 sign_one = _mm256_or_ps(_mm256_and_ps(clamped, _mm256_set1_ps(-0.0f)), _mm256_set1_ps(1.0f));
    const __m256 step = _mm256_and_ps(_mm256_cmp_ps(fraction, _mm256_set1_ps(0.5f), _CMP_GE_OQ), sign_one);
    return _mm256_cvtps_epi32(_mm256_and_ps(_mm256_add_ps(truncated, step), is_number));
}

void f32_to_q8_0_row(const float* src, void* dst, int64_t n) {
    auto* blocks = static_cast<block_q8_0*>(dst);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const float* x = src + b * k_qk;
        const __m256 v[4] = {_mm256_loadu_ps(x), _mm256_loadu_ps(x + 8), _mm256_loadu_ps(x + 16), _mm256_loadu_ps(x + 24)};
        const float d = block_amax(v) / 127.0f;
        const __m256 id = _mm256_set1_ps(d != 0.0f ? 1.0f / d : 0.0f);
        blocks[b].d = f32_to_f16(d);
        __m256i q[4];
        for (int k = 0; k < 4; ++k) q[k] = q8_value(_mm256_mul_ps(v[k], id));
        // packs interleave 128-bit lanes; the dword permute puts the 32 bytes back in order.
        const __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
        const __m256i ordered = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(blocks[b].qs), ordered);
    }
}

// trunc(clamp(v, 0, 15)) with NaN -> 8, as the reference computes q from v = x * id + 8.5f.
__m256i q4_value(__m256 v) {
    const __m256 defined = _mm256_blendv_ps(_mm256_set1_ps(8.0f), v, _mm256_cmp_ps(v, v, _CMP_ORD_Q));
    const __m256 clamped = _mm256_min_ps(_mm256_max_ps(defined, _mm256_setzero_ps()), _mm256_set1_ps(15.0f));
    return _mm256_cvttps_epi32(clamped);
}

// Index of the lowest set bit of a non-zero mask (no BMI in this TU's flags, no <bit> template).
int lowest_bit(uint32_t mask) {
    int index = 0;
    while ((mask & 1u) == 0) {
        mask >>= 1;
        ++index;
    }
    return index;
}

void f32_to_q4_0_row(const float* src, void* dst, int64_t n) {
    auto* blocks = static_cast<block_q4_0*>(dst);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const float* x = src + b * k_qk;
        const __m256 v[4] = {_mm256_loadu_ps(x), _mm256_loadu_ps(x + 8), _mm256_loadu_ps(x + 16), _mm256_loadu_ps(x + 24)};
        const float amax = block_amax(v);
        // The signed value of largest magnitude is the first whose |x| equals the maximum.
        float m = 0.0f;
        if (amax != 0.0f) {
            const __m256 target = _mm256_set1_ps(amax);
            uint32_t hits = 0;
            for (int k = 0; k < 4; ++k)
                hits |= static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(abs_ps(v[k]), target, _CMP_EQ_OQ))) << (8 * k);
            m = x[lowest_bit(hits)];
        }
        const float d = m / -8.0f;
        const __m256 id = _mm256_set1_ps(d != 0.0f ? 1.0f / d : 0.0f);
        blocks[b].d = f32_to_f16(d);
        __m256i q[4];
        for (int k = 0; k < 4; ++k) q[k] = q4_value(_mm256_add_ps(_mm256_mul_ps(v[k], id), _mm256_set1_ps(8.5f)));
        // Value j (0..15) goes to the low nibble of byte j, value j + 16 to its high nibble.
        const __m256i first = _mm256_or_si256(q[0], _mm256_slli_epi32(q[2], 4));
        const __m256i second = _mm256_or_si256(q[1], _mm256_slli_epi32(q[3], 4));
        const __m256i words = _mm256_permute4x64_epi64(_mm256_packs_epi32(first, second), 0xd8);
        const __m128i bytes = _mm_packus_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(blocks[b].qs), bytes);
    }
}

} // namespace

const convert_kernels avx2_convert_kernels = {
    f16_to_f32_row, bf16_to_f32_row, q8_0_to_f32_row, q4_0_to_f32_row,
    f32_to_f16_row, f32_to_bf16_row, f32_to_q8_0_row, f32_to_q4_0_row,
};

} // namespace pxl::cpu
