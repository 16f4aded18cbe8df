// AVX2 + FMA dot products (kernels.h, dot_kernels). Float weights: two 8-lane accumulators per
// activation row, a fixed horizontal sum, then the scalar tail in index order. Quantized weights:
// per 32-block the exact int32 dot product from maddubs (u8 x s8 -> s16 pairs) and madd, kept as 8
// partial lane sums that are scaled by d_w * d_x in f32. The unsigned operand is |w| for Q8_0 (q
// takes w's sign; a pair is at most 2 * 128 * 127 = 32512, so maddubs cannot saturate) and the raw
// nibble for Q4_0 (the - 8 comes from the activations' precomputed offset).
// Only intrinsics and internal-linkage helpers here (see convert_avx2.cpp for why).
#include "cpu/half_float.h"
#include "cpu/kernels.h"
#include "cpu/quant_blocks.h"
#include "cpu/x86_intrinsics.h"
#include "cpu/x86_quant_dot.h"

namespace pxl::cpu {

namespace {

struct f32_weights {
    const float* w;
    __m256 load(int64_t i) const { return _mm256_loadu_ps(w + i); }
    float scalar(int64_t i) const { return w[i]; }
};

struct f16_weights {
    const uint16_t* w;
    __m256 load(int64_t i) const { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i))); }
    float scalar(int64_t i) const { return f16_to_f32(w[i]); }
};

struct bf16_weights {
    const uint16_t* w;
    __m256 load(int64_t i) const {
        const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
    }
    float scalar(int64_t i) const { return bf16_to_f32(w[i]); }
};

// n_rows as a template argument keeps the accumulators in registers; every row runs the same
// instruction sequence for any R.
template <int R, class Weights>
void float_dot(Weights weights, const float* x, int64_t x_stride, int64_t k, float* y, int64_t y_stride) {
    __m256 acc0[R], acc1[R];
    for (int r = 0; r < R; ++r) acc0[r] = acc1[r] = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 16 <= k; i += 16) {
        const __m256 w0 = weights.load(i);
        const __m256 w1 = weights.load(i + 8);
        for (int r = 0; r < R; ++r) {
            acc0[r] = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x + r * x_stride + i), acc0[r]);
            acc1[r] = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x + r * x_stride + i + 8), acc1[r]);
        }
    }
    if (i + 8 <= k) {
        const __m256 w0 = weights.load(i);
        for (int r = 0; r < R; ++r) acc0[r] = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x + r * x_stride + i), acc0[r]);
        i += 8;
    }
    for (int r = 0; r < R; ++r) {
        float sum = horizontal_sum(_mm256_add_ps(acc0[r], acc1[r]));
        for (int64_t j = i; j < k; ++j) sum += weights.scalar(j) * x[r * x_stride + j];
        y[r * y_stride] = sum;
    }
}

template <class Weights>
void float_dot_rows(Weights weights, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride) {
    switch (n_rows) {
    case 1: float_dot<1>(weights, x, x_stride, k, y, y_stride); return;
    case 2: float_dot<2>(weights, x, x_stride, k, y, y_stride); return;
    case 3: float_dot<3>(weights, x, x_stride, k, y, y_stride); return;
    default: float_dot<4>(weights, x, x_stride, k, y, y_stride); return;
    }
}

void dot_f32(const void* w, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride) {
    float_dot_rows(f32_weights{static_cast<const float*>(w)}, x, x_stride, n_rows, k, y, y_stride);
}

void dot_f16(const void* w, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride) {
    float_dot_rows(f16_weights{static_cast<const uint16_t*>(w)}, x, x_stride, n_rows, k, y, y_stride);
}

void dot_bf16(const void* w, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride) {
    float_dot_rows(bf16_weights{static_cast<const uint16_t*>(w)}, x, x_stride, n_rows, k, y, y_stride);
}

// Block b of Q8_0 weights, prepared once for all activation rows: w, and |w| as u8 (-128 gives
// 128, still exact as an unsigned byte).
struct q8_0_weights {
    const block_q8_0* w;
    struct block {
        __m256i values;
        __m256i magnitudes;
    };
    block prepare(int64_t b) const {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w[b].qs));
        return {v, _mm256_abs_epi8(v)};
    }
    __m256 scale(int64_t b) const { return broadcast_half(w[b].d); }
    // 8 partial sums of the block's dot product with q: |w| against q carrying w's sign (sign_epi8
    // also zeroes q where w is 0, harmless since |w| is 0 there).
    static __m256i dot(const block& p, const int8_t* q, const int32_t*) {
        const __m256i signed_q = _mm256_sign_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(q)), p.values);
        return _mm256_madd_epi16(_mm256_maddubs_epi16(p.magnitudes, signed_q), _mm256_set1_epi16(1));
    }
};

// Block b of Q4_0 weights: the nibbles 0..15 as u8 in value order (low nibbles are values 0..15,
// high ones 16..31); the - 8 of each value comes from the activations' q4_offset.
struct q4_0_weights {
    const block_q4_0* w;
    struct block {
        __m256i nibbles;
    };
    block prepare(int64_t b) const {
        // The 16 packed bytes in both halves; the upper half shifted right by 4 (a 64-bit shift
        // drags the next byte's low bits into each byte's top nibble, which the mask drops).
        const __m256i packed = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[b].qs)));
        const __m256i shifted = _mm256_srlv_epi64(packed, _mm256_set_epi64x(4, 4, 0, 0));
        return {_mm256_and_si256(shifted, _mm256_set1_epi8(0x0f))};
    }
    __m256 scale(int64_t b) const { return broadcast_half(w[b].d); }
    // 8 partial sums of sum(nibble * q) - 8 * sum(q), the offset added in lane 0.
    static __m256i dot(const block& p, const int8_t* q, const int32_t* offset) {
        const __m256i xq = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
        const __m256i start = _mm256_zextsi128_si256(_mm_cvtsi32_si128(*offset));
        return _mm256_add_epi32(start, _mm256_madd_epi16(_mm256_maddubs_epi16(p.nibbles, xq), _mm256_set1_epi16(1)));
    }
};

void dot_q8_0(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride) {
    quant_dot_rows(q8_0_weights{static_cast<const block_q8_0*>(w)}, x, n_rows, y, y_stride);
}

void dot_q4_0(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride) {
    quant_dot_rows(q4_0_weights{static_cast<const block_q4_0*>(w)}, x, n_rows, y, y_stride);
}

// Repacked weights (x86_quant_dot.h, x8_dot): the per-level parts.

// The eight vectors of a block: step c covers values 4c..4c+3 of every row. Without VNNI the
// products go through maddubs, whose int16 pair sums would overflow for a biased byte (up to 255)
// times 127, so the bias is removed again and |w| meets x carrying w's sign (at most 2 * 128 * 127).
struct q8_0x8_block {
    using type = block_q8_0x8;
    static void unpack(const type& b, __m256i (&w)[8]) {
        const __m256i bias = _mm256_set1_epi8(static_cast<char>(0x80));
        for (int c = 0; c < 8; ++c)
            w[c] = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs + 32 * c)), bias);
    }
    static int32_t start(int32_t) { return 0; }
    static PXL_SIMD_INLINE __m256i step(__m256i acc, __m256i w, __m256i x) {
        const __m256i pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(w), _mm256_sign_epi8(x, w));
        return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
    }
};

// Q4_0 repacked: the shared nibble unpack.
struct q4_0x8_block {
    using type = block_q4_0x8;
    static void unpack(const type& b, __m256i (&w)[8]) { unpack_q4_0x8(b, w); }
    static int32_t start(int32_t q4_offset) { return q4_offset; }
    // Nibbles (at most 15) times int8: the int16 pair sums of maddubs cannot overflow.
    static PXL_SIMD_INLINE __m256i step(__m256i acc, __m256i w, __m256i x) {
        return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), _mm256_set1_epi16(1)));
    }
};

void dot_q8_0x8(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols) {
    x8_dot_rows<q8_0x8_block>(w, x, n_rows, y, y_stride, n_cols);
}

void dot_q4_0x8(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols) {
    x8_dot_rows<q4_0x8_block>(w, x, n_rows, y, y_stride, n_cols);
}

} // namespace

const dot_kernels avx2_dot_kernels = {dot_f32, dot_f16, dot_bf16, dot_q8_0, dot_q4_0, dot_q8_0x8, dot_q4_0x8};

} // namespace pxl::cpu
