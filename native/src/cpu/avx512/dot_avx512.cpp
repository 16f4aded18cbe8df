// AVX-512 dot products (kernels.h, dot_kernels). Float weights: two 16-lane accumulators per
// activation row, the tail through a masked load (zeros beyond k), one fixed horizontal sum.
// Products stay f32 x f32 (vdpbf16ps would round x to bf16). Quantized weights: per 32-block the
// exact int32 dot product from one VNNI vpdpbusd (u8 x s8 summed into int32: |w| against q
// carrying w's sign for Q8_0; the raw nibble for Q4_0, starting from the activations' - 8 offset),
// kept as 8 partial lane sums scaled by d_w * d_x in f32, as in the AVX2 file. 256-bit vectors: one
// 32-block per register, and on this target (AMD Zen 4) 512-bit integer ops run as two halves.
// Only intrinsics and internal-linkage helpers here (see avx2/convert_avx2.cpp for why).
#include "cpu/kernels.h"
#include "cpu/quant_blocks.h"
#include "cpu/x86_intrinsics.h"
#include "cpu/x86_quant_dot.h"

namespace pxl::cpu {

namespace {

__mmask16 tail_mask(int64_t rest) { return static_cast<__mmask16>((1u << rest) - 1u); }

float horizontal_sum(__m512 v) {
    return horizontal_sum(_mm256_add_ps(_mm512_extractf32x8_ps(v, 0), _mm512_extractf32x8_ps(v, 1)));
}

struct f32_weights {
    const float* w;
    __m512 load(int64_t i) const { return _mm512_loadu_ps(w + i); }
    __m512 load(int64_t i, __mmask16 m) const { return _mm512_maskz_loadu_ps(m, w + i); }
};

struct f16_weights {
    const uint16_t* w;
    __m512 load(int64_t i) const { return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + i))); }
    __m512 load(int64_t i, __mmask16 m) const { return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, w + i)); }
};

struct bf16_weights {
    const uint16_t* w;
    static __m512 widen(__m256i bits) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(bits), 16)); }
    __m512 load(int64_t i) const { return widen(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + i))); }
    __m512 load(int64_t i, __mmask16 m) const { return widen(_mm256_maskz_loadu_epi16(m, w + i)); }
};

template <int R, class Weights>
void float_dot(Weights weights, const float* x, int64_t x_stride, int64_t k, float* y, int64_t y_stride) {
    __m512 acc0[R], acc1[R];
    for (int r = 0; r < R; ++r) acc0[r] = acc1[r] = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= k; i += 32) {
        const __m512 w0 = weights.load(i);
        const __m512 w1 = weights.load(i + 16);
        for (int r = 0; r < R; ++r) {
            acc0[r] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x + r * x_stride + i), acc0[r]);
            acc1[r] = _mm512_fmadd_ps(w1, _mm512_loadu_ps(x + r * x_stride + i + 16), acc1[r]);
        }
    }
    for (; i < k; i += 16) {
        const __mmask16 m = tail_mask(k - i < 16 ? k - i : 16);
        const __m512 w0 = weights.load(i, m);
        for (int r = 0; r < R; ++r)
            acc0[r] = _mm512_fmadd_ps(w0, _mm512_maskz_loadu_ps(m, x + r * x_stride + i), acc0[r]);
    }
    for (int r = 0; r < R; ++r) y[r * y_stride] = horizontal_sum(_mm512_add_ps(acc0[r], acc1[r]));
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
        return _mm256_dpbusd_epi32(_mm256_setzero_si256(), p.magnitudes, signed_q);
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
        return _mm256_dpbusd_epi32(start, p.nibbles, xq);
    }
};

void dot_q8_0(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride) {
    quant_dot_rows(q8_0_weights{static_cast<const block_q8_0*>(w)}, x, n_rows, y, y_stride);
}

void dot_q4_0(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride) {
    quant_dot_rows(q4_0_weights{static_cast<const block_q4_0*>(w)}, x, n_rows, y, y_stride);
}

// Repacked weights (x86_quant_dot.h, x8_dot): the per-level parts.

// The eight u8 vectors of a block: step c covers values 4c..4c+3 of every row, as value + 128
// against the signed activations in one vpdpbusd; the start takes -128 sum(q) = 16 * (-8 sum(q)).
struct q8_0x8_block {
    using type = block_q8_0x8;
    static void unpack(const type& b, __m256i (&w)[8]) {
        for (int c = 0; c < 8; ++c) w[c] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs + 32 * c));
    }
    static int32_t start(int32_t q4_offset) { return q4_offset * 16; }
    static PXL_SIMD_INLINE __m256i step(__m256i acc, __m256i w, __m256i x) { return _mm256_dpbusd_epi32(acc, w, x); }
};

// Q4_0 repacked: the shared nibble unpack.
struct q4_0x8_block {
    using type = block_q4_0x8;
    static void unpack(const type& b, __m256i (&w)[8]) { unpack_q4_0x8(b, w); }
    static int32_t start(int32_t q4_offset) { return q4_offset; }
    static PXL_SIMD_INLINE __m256i step(__m256i acc, __m256i w, __m256i x) { return _mm256_dpbusd_epi32(acc, w, x); }
};

void dot_q8_0x8(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols) {
    x8_dot_rows<q8_0x8_block>(w, x, n_rows, y, y_stride, n_cols);
}

void dot_q4_0x8(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols) {
    x8_dot_rows<q4_0x8_block>(w, x, n_rows, y, y_stride, n_cols);
}

} // namespace

const dot_kernels avx512_dot_kernels = {dot_f32, dot_f16, dot_bf16, dot_q8_0, dot_q4_0, dot_q8_0x8, dot_q4_0x8};

} // namespace pxl::cpu
