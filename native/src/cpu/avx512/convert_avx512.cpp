// AVX-512 conversions: the AVX2 algorithms (see avx2/convert_avx2.cpp) at 16 lanes, with masked
// loads and stores for tails. Bit-identical to scalar/convert_scalar.cpp. vcvtneps2bf16 is not
// used for f32 -> bf16: it flushes f32 subnormals to zero, which the reference does not.
// Compiled with -ffp-contract=off (sources.cmake); only intrinsics and internal-linkage helpers
// here, for the reason given in the AVX2 file.
#include "cpu/half_float.h"
#include "cpu/kernels.h"
#include "cpu/quant_blocks.h"
#include "cpu/x86_intrinsics.h"

namespace pxl::cpu {

namespace {

constexpr int k_rounding = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;

__mmask16 tail_mask(int64_t rest) { return static_cast<__mmask16>((1u << rest) - 1u); }

void f16_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* in = static_cast<const uint16_t*>(src);
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
        const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i + 16));
        _mm512_storeu_ps(dst + i, _mm512_cvtph_ps(a));
        _mm512_storeu_ps(dst + i + 16, _mm512_cvtph_ps(b));
    }
    for (; i < n; i += 16) {
        const __mmask16 mask = tail_mask(n - i < 16 ? n - i : 16);
        _mm512_mask_storeu_ps(dst + i, mask, _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(mask, in + i)));
    }
}

__m512 bf16x16_to_f32(__m256i bits) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(bits), 16)); }

void bf16_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* in = static_cast<const uint16_t*>(src);
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        _mm512_storeu_ps(dst + i, bf16x16_to_f32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i))));
        _mm512_storeu_ps(dst + i + 16, bf16x16_to_f32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i + 16))));
    }
    for (; i < n; i += 16) {
        const __mmask16 mask = tail_mask(n - i < 16 ? n - i : 16);
        _mm512_mask_storeu_ps(dst + i, mask, bf16x16_to_f32(_mm256_maskz_loadu_epi16(mask, in + i)));
    }
}

void q8_0_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* blocks = static_cast<const block_q8_0*>(src);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const __m512 d = _mm512_set1_ps(f16_to_f32(blocks[b].d));
        const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[b].qs));
        const __m128i second = _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[b].qs + 16));
        float* out = dst + b * k_qk;
        _mm512_storeu_ps(out, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(first)), d));
        _mm512_storeu_ps(out + 16, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(second)), d));
    }
}

void q4_0_to_f32_row(const void* src, float* dst, int64_t n) {
    const auto* blocks = static_cast<const block_q4_0*>(src);
    const __m128i low_mask = _mm_set1_epi8(0x0f);
    const __m128i eight = _mm_set1_epi8(8);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const __m512 d = _mm512_set1_ps(f16_to_f32(blocks[b].d));
        const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[b].qs));
        // Values 0..15 are the low nibbles, 16..31 the high ones; recentred to -8..7 as int8.
        const __m128i low = _mm_sub_epi8(_mm_and_si128(packed, low_mask), eight);
        const __m128i high = _mm_sub_epi8(_mm_and_si128(_mm_srli_epi16(packed, 4), low_mask), eight);
        float* out = dst + b * k_qk;
        _mm512_storeu_ps(out, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(low)), d));
        _mm512_storeu_ps(out + 16, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(high)), d));
    }
}

void f32_to_f16_row(const float* src, void* dst, int64_t n) {
    auto* out = static_cast<uint16_t*>(dst);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), _mm512_cvtps_ph(_mm512_loadu_ps(src + i), k_rounding));
    if (i < n) {
        const __mmask16 mask = tail_mask(n - i);
        _mm256_mask_storeu_epi16(out + i, mask, _mm512_cvtps_ph(_mm512_maskz_loadu_ps(mask, src + i), k_rounding));
    }
}

// Round to nearest even on the bit pattern; NaN keeps its top half with the quiet bit set.
__m256i f32x16_to_bf16(__m512 v) {
    const __m512i bits = _mm512_castps_si512(v);
    const __m512i odd = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    const __m512i rounded = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(bits, _mm512_set1_epi32(0x7fff)), odd), 16);
    const __m512i quiet_nan = _mm512_or_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(0x40));
    const __mmask16 is_nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    return _mm512_cvtepi32_epi16(_mm512_mask_blend_epi32(is_nan, rounded, quiet_nan));
}

void f32_to_bf16_row(const float* src, void* dst, int64_t n) {
    auto* out = static_cast<uint16_t*>(dst);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), f32x16_to_bf16(_mm512_loadu_ps(src + i)));
    if (i < n) {
        const __mmask16 mask = tail_mask(n - i);
        _mm256_mask_storeu_epi16(out + i, mask, f32x16_to_bf16(_mm512_maskz_loadu_ps(mask, src + i)));
    }
}

// max |x| over a block; NaNs skipped as in the reference (maxps returns its second operand when
// either is NaN).
float block_amax(__m512 first, __m512 second) {
    const __m512 m = _mm512_max_ps(_mm512_abs_ps(second), _mm512_max_ps(_mm512_abs_ps(first), _mm512_setzero_ps()));
    __m256 h = _mm256_max_ps(_mm512_castps512_ps256(m), _mm512_extractf32x8_ps(m, 1));
    __m128 q = _mm_max_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = _mm_max_ps(q, _mm_movehl_ps(q, q));
    q = _mm_max_ss(q, _mm_shuffle_ps(q, q, 1));
    return _mm_cvtss_f32(q);
}

// clamp(roundf(v), -127, 127) with NaN -> 0; roundf rebuilt exactly as in the AVX2 file.
__m512i q8_value(__m512 v) {
    const __mmask16 is_number = _mm512_cmp_ps_mask(v, v, _CMP_ORD_Q);
    const __m512 clamped = _mm512_min_ps(_mm512_max_ps(v, _mm512_set1_ps(-127.0f)), _mm512_set1_ps(127.0f));
    const __m512 truncated = _mm512_roundscale_ps(clamped, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m512 fraction = _mm512_abs_ps(_mm512_sub_ps(clamped, truncated));
    const __m512 sign_one = _mm512_castsi512_ps(_mm512_or_si512(
        _mm512_and_si512(_mm512_castps_si512(clamped), _mm512_set1_epi32(static_cast<int>(0x80000000u))),
        _mm512_castps_si512(_mm512_set1_ps(1.0f))));
    const __mmask16 tie_or_above = _mm512_cmp_ps_mask(fraction, _mm512_set1_ps(0.5f), _CMP_GE_OQ);
    const __m512 rounded = _mm512_mask_add_ps(truncated, tie_or_above, truncated, sign_one);
    return _mm512_cvtps_epi32(_mm512_maskz_mov_ps(is_number, rounded));
}

void f32_to_q8_0_row(const float* src, void* dst, int64_t n) {
    auto* blocks = static_cast<block_q8_0*>(dst);
    for (int64_t b = 0; b < n / k_qk; ++b) {
        const float* x = src + b * k_qk;
        const __m512 first = _mm512_loadu_ps(x);
        const __m512 second = _mm512_loadu_ps(x + 16);
        const float d = block_amax(first, second) / 127.0f;
        const __m512 id = _mm512_set1_ps(d != 0.0f ? 1.0f / d : 0.0f);
        blocks[b].d = f32_to_f16(d);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(blocks[b].qs), _mm512_cvtepi32_epi8(q8_value(_mm512_mul_ps(first, id))));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(blocks[b].qs + 16),
                         _mm512_cvtepi32_epi8(q8_value(_mm512_mul_ps(second, id))));
    }
}

// trunc(clamp(v, 0, 15)) with NaN -> 8, from v = x * id + 8.5f.
__m512i q4_value(__m512 v) {
    const __m512 defined = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, v, _CMP_ORD_Q), _mm512_set1_ps(8.0f), v);
    const __m512 clamped = _mm512_min_ps(_mm512_max_ps(defined, _mm512_setzero_ps()), _mm512_set1_ps(15.0f));
    return _mm512_cvttps_epi32(clamped);
}

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
        const __m512 first = _mm512_loadu_ps(x);
        const __m512 second = _mm512_loadu_ps(x + 16);
        const float amax = block_amax(first, second);
        // The signed value of largest magnitude is the first whose |x| equals the maximum.
        float m = 0.0f;
        if (amax != 0.0f) {
            const __m512 target = _mm512_set1_ps(amax);
            const uint32_t hits = static_cast<uint32_t>(_mm512_cmp_ps_mask(_mm512_abs_ps(first), target, _CMP_EQ_OQ)) |
                                  static_cast<uint32_t>(_mm512_cmp_ps_mask(_mm512_abs_ps(second), target, _CMP_EQ_OQ)) << 16;
            m = x[lowest_bit(hits)];
        }
        const float d = m / -8.0f;
        const __m512 id = _mm512_set1_ps(d != 0.0f ? 1.0f / d : 0.0f);
        blocks[b].d = f32_to_f16(d);
        const __m512 half_up = _mm512_set1_ps(8.5f);
        const __m512i low = q4_value(_mm512_add_ps(_mm512_mul_ps(first, id), half_up));
        const __m512i high = q4_value(_mm512_add_ps(_mm512_mul_ps(second, id), half_up));
        // Value j (0..15) goes to the low nibble of byte j, value j + 16 to its high nibble.
        _mm_storeu_si128(reinterpret_cast<__m128i*>(blocks[b].qs),
                         _mm512_cvtepi32_epi8(_mm512_or_si512(low, _mm512_slli_epi32(high, 4))));
    }
}

} // namespace

const convert_kernels avx512_convert_kernels = {
    f16_to_f32_row, bf16_to_f32_row, q8_0_to_f32_row, q4_0_to_f32_row,
    f32_to_f16_row, f32_to_bf16_row, f32_to_q8_0_row, f32_to_q4_0_row,
};

} // namespace pxl::cpu
