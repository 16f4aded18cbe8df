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

#include <cstring>

namespace pxl::cpu {

namespace {

__mmask16 tail_mask(int64_t rest) { return static_cast<__mmask16>((1u << rest) - 1u); }

float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

float horizontal_sum(__m512 v) {
    return horizontal_sum(_mm256_add_ps(_mm512_extractf32x8_ps(v, 0), _mm512_extractf32x8_ps(v, 1)));
}

// An f16 scale in all 8 lanes (F16C widening is exact, as f16_to_f32 is).
__m256 broadcast_half(uint16_t d) { return _mm256_cvtph_ps(_mm_set1_epi16(static_cast<short>(d))); }

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

template <int R, class Weights>
PXL_SIMD_INLINE void add_block(const Weights& weights, int64_t b, const q8_activations& x, __m256 (&acc)[R]) {
    const typename Weights::block block = weights.prepare(b);
    const __m256 dw = weights.scale(b);
    const int64_t blocks = x.k / k_qk;
    for (int r = 0; r < R; ++r) {
        const __m256i dot = Weights::dot(block, x.qs + r * x.k + b * k_qk, x.q4_offset + r * blocks + b);
        const __m256 d = _mm256_mul_ps(dw, _mm256_broadcast_ss(x.d + r * blocks + b));
        acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), d, acc[r]);
    }
}

// Blocks b % 4 go to four separate, named accumulators (an array indexed by b % 4 would live in
// memory): a single-row (decode) call is otherwise bound by the FMA latency, not by throughput.
template <int R, class Weights>
void quant_dot(Weights weights, const q8_activations& x, float* y, int64_t y_stride) {
    __m256 acc0[R], acc1[R], acc2[R], acc3[R];
    for (int r = 0; r < R; ++r) acc0[r] = acc1[r] = acc2[r] = acc3[r] = _mm256_setzero_ps();
    const int64_t blocks = x.k / k_qk;
    int64_t b = 0;
    for (; b + 4 <= blocks; b += 4) {
        add_block<R>(weights, b, x, acc0);
        add_block<R>(weights, b + 1, x, acc1);
        add_block<R>(weights, b + 2, x, acc2);
        add_block<R>(weights, b + 3, x, acc3);
    }
    if (b < blocks) add_block<R>(weights, b, x, acc0);
    if (b + 1 < blocks) add_block<R>(weights, b + 1, x, acc1);
    if (b + 2 < blocks) add_block<R>(weights, b + 2, x, acc2);
    for (int r = 0; r < R; ++r)
        y[r * y_stride] = horizontal_sum(_mm256_add_ps(_mm256_add_ps(acc0[r], acc1[r]), _mm256_add_ps(acc2[r], acc3[r])));
}

template <class Weights>
void quant_dot_rows(Weights weights, const q8_activations& x, int n_rows, float* y, int64_t y_stride) {
    switch (n_rows) {
    case 1: quant_dot<1>(weights, x, y, y_stride); return;
    case 2: quant_dot<2>(weights, x, y, y_stride); return;
    case 3: quant_dot<3>(weights, x, y, y_stride); return;
    default: quant_dot<4>(weights, x, y, y_stride); return;
    }
}

void dot_q8_0(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride) {
    quant_dot_rows(q8_0_weights{static_cast<const block_q8_0*>(w)}, x, n_rows, y, y_stride);
}

void dot_q4_0(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride) {
    quant_dot_rows(q4_0_weights{static_cast<const block_q4_0*>(w)}, x, n_rows, y, y_stride);
}


// Repacked weights (block_q8_0x8, block_q4_0x8): lane i of every vector is weight row i. Each of
// the eight 4-value steps of a block meets 4 activation values broadcast to all lanes, so eight
// dot-product instructions finish the block's int32 sums for 8 rows, started from the activations'
// offset (-128 sum(q) for Q8_0's biased bytes, -8 sum(q) for Q4_0's nibbles). The float steps then
// run once per 8 rows in the scalar rule's order (convert, times d_w * d_x, add), so the result is
// the scalar kernel's bit for bit.
int32_t load_i32(const int8_t* p) {
    int32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

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

// Steps 0..3 are the low nibbles of the four chunks (values 4c..4c+3), steps 4..7 the high ones
// (values 16+4c..16+4c+3).
struct q4_0x8_block {
    using type = block_q4_0x8;
    static void unpack(const type& b, __m256i (&w)[8]) {
        const __m256i low = _mm256_set1_epi8(0x0f);
        for (int c = 0; c < 4; ++c) {
            const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs + 32 * c));
            w[c] = _mm256_and_si256(raw, low);
            w[4 + c] = _mm256_and_si256(_mm256_srli_epi16(raw, 4), low);
        }
    }
    static int32_t start(int32_t q4_offset) { return q4_offset; }
    static PXL_SIMD_INLINE __m256i step(__m256i acc, __m256i w, __m256i x) { return _mm256_dpbusd_epi32(acc, w, x); }
};

// Activation values of step c: Q8_0 steps walk the block in order; Q4_0's low steps take values
// 4c.., its high steps 16+4c.. (the same order, as 4 * c for c < 8 is 0..28 either way).
template <class Block, int R>
void x8_dot(const typename Block::type* w, const q8_activations& x, float* y, int64_t y_stride, int n_cols) {
    __m256 acc[R];
    for (int r = 0; r < R; ++r) acc[r] = _mm256_setzero_ps();
    const int64_t blocks = x.k / k_qk;
    for (int64_t b = 0; b < blocks; ++b) {
        __m256i wv[8];
        Block::unpack(w[b], wv);
        const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[b].d)));
        for (int r = 0; r < R; ++r) {
            const int8_t* q = x.qs + r * x.k + b * k_qk;
            __m256i even = _mm256_set1_epi32(Block::start(x.q4_offset[r * blocks + b]));
            __m256i odd = _mm256_setzero_si256();
            for (int c = 0; c < 8; c += 2) {
                even = Block::step(even, wv[c], _mm256_set1_epi32(load_i32(q + 4 * c)));
                odd = Block::step(odd, wv[c + 1], _mm256_set1_epi32(load_i32(q + 4 * c + 4)));
            }
            const __m256 d = _mm256_mul_ps(dw, _mm256_set1_ps(x.d[r * blocks + b]));
            acc[r] = _mm256_add_ps(acc[r], _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(even, odd)), d));
        }
    }
    for (int r = 0; r < R; ++r) {
        if (n_cols == k_repack_rows)
            _mm256_storeu_ps(y + r * y_stride, acc[r]);
        else
            _mm256_mask_storeu_ps(y + r * y_stride, static_cast<__mmask8>((1u << n_cols) - 1u), acc[r]);
    }
}

template <class Block>
void x8_dot_rows(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols) {
    const auto* blocks = static_cast<const typename Block::type*>(w);
    switch (n_rows) {
    case 1: x8_dot<Block, 1>(blocks, x, y, y_stride, n_cols); return;
    case 2: x8_dot<Block, 2>(blocks, x, y, y_stride, n_cols); return;
    case 3: x8_dot<Block, 3>(blocks, x, y, y_stride, n_cols); return;
    default: x8_dot<Block, 4>(blocks, x, y, y_stride, n_cols); return;
    }
}

void dot_q8_0x8(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols) {
    x8_dot_rows<q8_0x8_block>(w, x, n_rows, y, y_stride, n_cols);
}

void dot_q4_0x8(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols) {
    x8_dot_rows<q4_0x8_block>(w, x, n_rows, y, y_stride, n_cols);
}

} // namespace

const dot_kernels avx512_dot_kernels = {dot_f32, dot_f16, dot_bf16, dot_q8_0, dot_q4_0, dot_q8_0x8, dot_q4_0x8};

} // namespace pxl::cpu
