// The loops of the quantized dot products (kernels.h, dot_kernels) that the AVX2 and AVX-512 files
// share: each level supplies only its weight structs (with their integer step) and includes this
// header into its own translation unit. Everything here has internal linkage on purpose: the two
// files are compiled with different -m flags, and an inline definition shared between them would
// let the linker keep either level's copy for both.
#pragma once

#include "cpu/kernels.h"
#include "cpu/quant_blocks.h"
#include "cpu/x86_intrinsics.h"

#include <cstdint>
#include <cstring>

namespace pxl::cpu {
namespace {

float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// An f16 scale in all 8 lanes (F16C widening is exact, as f16_to_f32 is).
__m256 broadcast_half(uint16_t d) { return _mm256_cvtph_ps(_mm_set1_epi16(static_cast<short>(d))); }

// Per-row quantized weights (block_q8_0 / block_q4_0): Weights::prepare / scale / dot give, per
// 32-block, the exact int32 dot product as 8 partial lane sums, scaled by d_w * d_x in f32.
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

// The first n_cols lanes of v to y (a group of 8 repacked rows may end early).
PXL_SIMD_INLINE void store_columns(float* y, __m256 v, int n_cols) {
    if (n_cols == k_repack_rows) {
        _mm256_storeu_ps(y, v);
        return;
    }
#if defined(__AVX512VL__)
    _mm256_mask_storeu_ps(y, static_cast<__mmask8>((1u << n_cols) - 1u), v);
#else
    _mm256_maskstore_ps(y, _mm256_cmpgt_epi32(_mm256_set1_epi32(n_cols), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)), v);
#endif
}

// The eight step vectors of a block_q4_0x8: steps 0..3 are the low nibbles of the four chunks
// (values 4c..4c+3), steps 4..7 the high ones (values 16+4c..16+4c+3).
PXL_SIMD_INLINE void unpack_q4_0x8(const block_q4_0x8& b, __m256i (&w)[8]) {
    const __m256i low = _mm256_set1_epi8(0x0f);
    for (int c = 0; c < 4; ++c) {
        const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs + 32 * c));
        w[c] = _mm256_and_si256(raw, low);
        w[4 + c] = _mm256_and_si256(_mm256_srli_epi16(raw, 4), low);
    }
}

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
    for (int r = 0; r < R; ++r) store_columns(y + r * y_stride, acc[r], n_cols);
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

} // namespace
} // namespace pxl::cpu
