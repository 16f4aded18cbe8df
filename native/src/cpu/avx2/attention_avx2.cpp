// AVX2 + FMA inner loops of fused attention (kernels.h, attention_kernels). F16 rows are widened
// with F16C. Rows run in 8-lane steps; a head size that is not a multiple of 8 (the pixel decoder's
// 4) ends in a scalar tail added after the vector sum.
// Only intrinsics and internal-linkage helpers here (see convert_avx2.cpp for why).
#include "cpu/half_float.h"
#include "cpu/kernels.h"
#include "cpu/x86_intrinsics.h"

namespace pxl::cpu {

namespace {

float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__m256 load_f16(const void* row, int64_t i) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(row) + i)));
}
__m256 load_f32(const void* row, int64_t i) { return _mm256_loadu_ps(static_cast<const float*>(row) + i); }
float value_f16(const void* row, int64_t i) { return f16_to_f32(static_cast<const uint16_t*>(row)[i]); }
float value_f32(const void* row, int64_t i) { return static_cast<const float*>(row)[i]; }

// sum over i in [begin, end) of q[i] * row[i], in index order.
template <float (*value)(const void*, int64_t)>
float tail_dot(const float* q, const void* row, int begin, int end) {
    float sum = 0.0f;
    for (int i = begin; i < end; ++i) sum += q[i] * value(row, i);
    return sum;
}

// The four 8-lane sums r0..r3 reduced to [sum r0, sum r1, sum r2, sum r3].
__m128 sum_four(__m256 r0, __m256 r1, __m256 r2, __m256 r3) {
    const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(r0, r1), _mm256_hadd_ps(r2, r3));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

// Four keys at a time: four independent FMA chains, and one shared reduction instead of four.
// Which keys are grouped depends only on the tile, so results do not depend on threads.
template <__m256 (*load)(const void*, int64_t), float (*value)(const void*, int64_t), int64_t element_bytes>
void scores(const float* q, const void* k, int64_t stride, int n_keys, int head_size, float scale, float* s) {
    const auto* bytes = static_cast<const unsigned char*>(k);
    const int64_t row_bytes = stride * element_bytes;
    const int whole = head_size - head_size % 8;
    int j = 0;
    for (; j + 4 <= n_keys; j += 4) {
        const unsigned char* key = bytes + j * row_bytes;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (int i = 0; i < whole; i += 8) {
            const __m256 qv = _mm256_loadu_ps(q + i);
            a0 = _mm256_fmadd_ps(qv, load(key, i), a0);
            a1 = _mm256_fmadd_ps(qv, load(key + row_bytes, i), a1);
            a2 = _mm256_fmadd_ps(qv, load(key + 2 * row_bytes, i), a2);
            a3 = _mm256_fmadd_ps(qv, load(key + 3 * row_bytes, i), a3);
        }
        __m128 sums = sum_four(a0, a1, a2, a3);
        if (whole < head_size) {
            const float tails[4] = {
                tail_dot<value>(q, key, whole, head_size), tail_dot<value>(q, key + row_bytes, whole, head_size),
                tail_dot<value>(q, key + 2 * row_bytes, whole, head_size),
                tail_dot<value>(q, key + 3 * row_bytes, whole, head_size)};
            sums = _mm_add_ps(sums, _mm_loadu_ps(tails));
        }
        _mm_storeu_ps(s + j, _mm_mul_ps(sums, _mm_set1_ps(scale)));
    }
    for (; j < n_keys; ++j) {
        const void* key = bytes + j * row_bytes;
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        int i = 0;
        for (; i + 16 <= whole; i += 16) {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), load(key, i), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), load(key, i + 8), acc1);
        }
        if (i < whole) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), load(key, i), acc0);
        const float tail = whole < head_size ? tail_dot<value>(q, key, whole, head_size) : 0.0f;
        s[j] = scale * (horizontal_sum(_mm256_add_ps(acc0, acc1)) + tail);
    }
}

// Four 8-lane column blocks at a time, each its own accumulator chain across the keys, so the FMA
// latency overlaps instead of serialising; then single blocks, then the scalar tail.
template <__m256 (*load)(const void*, int64_t), float (*value)(const void*, int64_t), int64_t element_bytes>
void accumulate(float* acc, float c, const float* p, const void* v, int64_t stride, int n_keys, int head_size) {
    const auto* bytes = static_cast<const unsigned char*>(v);
    const __m256 cv = _mm256_set1_ps(c);
    int i = 0;
    for (; i + 32 <= head_size; i += 32) {
        __m256 a0 = _mm256_mul_ps(_mm256_loadu_ps(acc + i), cv);
        __m256 a1 = _mm256_mul_ps(_mm256_loadu_ps(acc + i + 8), cv);
        __m256 a2 = _mm256_mul_ps(_mm256_loadu_ps(acc + i + 16), cv);
        __m256 a3 = _mm256_mul_ps(_mm256_loadu_ps(acc + i + 24), cv);
        for (int j = 0; j < n_keys; ++j) {
            const void* row = bytes + j * stride * element_bytes;
            const __m256 pj = _mm256_set1_ps(p[j]);
            a0 = _mm256_fmadd_ps(pj, load(row, i), a0);
            a1 = _mm256_fmadd_ps(pj, load(row, i + 8), a1);
            a2 = _mm256_fmadd_ps(pj, load(row, i + 16), a2);
            a3 = _mm256_fmadd_ps(pj, load(row, i + 24), a3);
        }
        _mm256_storeu_ps(acc + i, a0);
        _mm256_storeu_ps(acc + i + 8, a1);
        _mm256_storeu_ps(acc + i + 16, a2);
        _mm256_storeu_ps(acc + i + 24, a3);
    }
    for (; i + 8 <= head_size; i += 8) {
        __m256 a = _mm256_mul_ps(_mm256_loadu_ps(acc + i), cv);
        for (int j = 0; j < n_keys; ++j) a = _mm256_fmadd_ps(_mm256_set1_ps(p[j]), load(bytes + j * stride * element_bytes, i), a);
        _mm256_storeu_ps(acc + i, a);
    }
    for (; i < head_size; ++i) {
        float a = acc[i] * c;
        for (int j = 0; j < n_keys; ++j) a += p[j] * value(bytes + j * stride * element_bytes, i);
        acc[i] = a;
    }
}

} // namespace

const attention_kernels avx2_attention_kernels = {
    scores<load_f16, value_f16, 2>,
    scores<load_f32, value_f32, 4>,
    accumulate<load_f16, value_f16, 2>,
    accumulate<load_f32, value_f32, 4>,
};

} // namespace pxl::cpu
