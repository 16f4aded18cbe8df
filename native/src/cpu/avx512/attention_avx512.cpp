// AVX-512 inner loops of fused attention (kernels.h, attention_kernels): the AVX2 loops at 16
// lanes. A head size that is not a multiple of 16 (the pixel decoder's 4 and 8) ends in one masked
// 16-lane step, whose masked-off lanes load zeros and add nothing.
// Only intrinsics and internal-linkage helpers here (see avx2/convert_avx2.cpp for why).
#include "cpu/kernels.h"
#include "cpu/x86_intrinsics.h"

namespace pxl::cpu {

namespace {

// Own reductions: GCC 12's _mm512_reduce_* and _mm512_castps512_ps256 trip -Wuninitialized
// inside the header (PR 105593).
float horizontal_sum(__m512 v) {
    const __m256 h = _mm256_add_ps(_mm512_extractf32x8_ps(v, 0), _mm512_extractf32x8_ps(v, 1));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__m512 load_f16(const void* row, int64_t i) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const uint16_t*>(row) + i)));
}
__m512 load_f32(const void* row, int64_t i) { return _mm512_loadu_ps(static_cast<const float*>(row) + i); }
__m512 load_f16_masked(const void* row, int64_t i, __mmask16 m) {
    return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, static_cast<const uint16_t*>(row) + i));
}
__m512 load_f32_masked(const void* row, int64_t i, __mmask16 m) {
    return _mm512_maskz_loadu_ps(m, static_cast<const float*>(row) + i);
}

// The lanes of the last, partial 16-lane step of a head_size-long row.
__mmask16 tail_mask(int head_size) { return static_cast<__mmask16>((1u << (head_size % 16)) - 1u); }

// The four 8-lane sums r0..r3 reduced to [sum r0, sum r1, sum r2, sum r3].
__m128 sum_four(__m256 r0, __m256 r1, __m256 r2, __m256 r3) {
    const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(r0, r1), _mm256_hadd_ps(r2, r3));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

__m256 halves(__m512 v) { return _mm256_add_ps(_mm512_extractf32x8_ps(v, 0), _mm512_extractf32x8_ps(v, 1)); }

// Four keys at a time: four independent FMA chains, and one shared reduction instead of four.
// Which keys are grouped depends only on the tile, so results do not depend on threads.
template <__m512 (*load)(const void*, int64_t), __m512 (*load_masked)(const void*, int64_t, __mmask16),
          int64_t element_bytes>
void scores(const float* q, const void* k, int64_t stride, int n_keys, int head_size, float scale, float* s) {
    const auto* bytes = static_cast<const unsigned char*>(k);
    const int64_t row_bytes = stride * element_bytes;
    const int whole = head_size - head_size % 16;
    const __mmask16 m = tail_mask(head_size);
    int j = 0;
    for (; j + 4 <= n_keys; j += 4) {
        const unsigned char* key = bytes + j * row_bytes;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        for (int i = 0; i < whole; i += 16) {
            const __m512 qv = _mm512_loadu_ps(q + i);
            a0 = _mm512_fmadd_ps(qv, load(key, i), a0);
            a1 = _mm512_fmadd_ps(qv, load(key + row_bytes, i), a1);
            a2 = _mm512_fmadd_ps(qv, load(key + 2 * row_bytes, i), a2);
            a3 = _mm512_fmadd_ps(qv, load(key + 3 * row_bytes, i), a3);
        }
        if (whole < head_size) {
            const __m512 qv = _mm512_maskz_loadu_ps(m, q + whole);
            a0 = _mm512_fmadd_ps(qv, load_masked(key, whole, m), a0);
            a1 = _mm512_fmadd_ps(qv, load_masked(key + row_bytes, whole, m), a1);
            a2 = _mm512_fmadd_ps(qv, load_masked(key + 2 * row_bytes, whole, m), a2);
            a3 = _mm512_fmadd_ps(qv, load_masked(key + 3 * row_bytes, whole, m), a3);
        }
        _mm_storeu_ps(s + j, _mm_mul_ps(sum_four(halves(a0), halves(a1), halves(a2), halves(a3)), _mm_set1_ps(scale)));
    }
    for (; j < n_keys; ++j) {
        const void* key = bytes + j * row_bytes;
        __m512 acc = _mm512_setzero_ps();
        for (int i = 0; i < whole; i += 16) acc = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), load(key, i), acc);
        if (whole < head_size)
            acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, q + whole), load_masked(key, whole, m), acc);
        s[j] = scale * horizontal_sum(acc);
    }
}

// Four 16-lane column blocks at a time, each its own accumulator chain across the keys, so the
// FMA latency overlaps instead of serialising one chain per block.
template <__m512 (*load)(const void*, int64_t), __m512 (*load_masked)(const void*, int64_t, __mmask16),
          int64_t element_bytes>
void accumulate(float* acc, float c, const float* p, const void* v, int64_t stride, int n_keys, int head_size) {
    const auto* bytes = static_cast<const unsigned char*>(v);
    const __m512 cv = _mm512_set1_ps(c);
    int i = 0;
    for (; i + 64 <= head_size; i += 64) {
        __m512 a0 = _mm512_mul_ps(_mm512_loadu_ps(acc + i), cv);
        __m512 a1 = _mm512_mul_ps(_mm512_loadu_ps(acc + i + 16), cv);
        __m512 a2 = _mm512_mul_ps(_mm512_loadu_ps(acc + i + 32), cv);
        __m512 a3 = _mm512_mul_ps(_mm512_loadu_ps(acc + i + 48), cv);
        for (int j = 0; j < n_keys; ++j) {
            const void* row = bytes + j * stride * element_bytes;
            const __m512 pj = _mm512_set1_ps(p[j]);
            a0 = _mm512_fmadd_ps(pj, load(row, i), a0);
            a1 = _mm512_fmadd_ps(pj, load(row, i + 16), a1);
            a2 = _mm512_fmadd_ps(pj, load(row, i + 32), a2);
            a3 = _mm512_fmadd_ps(pj, load(row, i + 48), a3);
        }
        _mm512_storeu_ps(acc + i, a0);
        _mm512_storeu_ps(acc + i + 16, a1);
        _mm512_storeu_ps(acc + i + 32, a2);
        _mm512_storeu_ps(acc + i + 48, a3);
    }
    for (; i + 16 <= head_size; i += 16) {
        __m512 a = _mm512_mul_ps(_mm512_loadu_ps(acc + i), cv);
        for (int j = 0; j < n_keys; ++j) a = _mm512_fmadd_ps(_mm512_set1_ps(p[j]), load(bytes + j * stride * element_bytes, i), a);
        _mm512_storeu_ps(acc + i, a);
    }
    if (i < head_size) {
        const __mmask16 m = tail_mask(head_size);
        __m512 a = _mm512_mul_ps(_mm512_maskz_loadu_ps(m, acc + i), cv);
        for (int j = 0; j < n_keys; ++j)
            a = _mm512_fmadd_ps(_mm512_set1_ps(p[j]), load_masked(bytes + j * stride * element_bytes, i, m), a);
        _mm512_mask_storeu_ps(acc + i, m, a);
    }
}

} // namespace

const attention_kernels avx512_attention_kernels = {
    scores<load_f16, load_f16_masked, 2>,
    scores<load_f32, load_f32_masked, 4>,
    accumulate<load_f16, load_f16_masked, 2>,
    accumulate<load_f32, load_f32_masked, 4>,
};

} // namespace pxl::cpu
