// AVX-512 row kernels (kernels.h, row_kernels): the AVX2 algorithms at 16 lanes, tails through
// masked loads and stores so every element takes the vector path.
// Only intrinsics and internal-linkage helpers here (see avx2/convert_avx2.cpp for why).
#include "cpu/avx512/exp_avx512.h"
#include "cpu/erfc_polynomial.h"
#include "cpu/kernels.h"
#include "cpu/x86_intrinsics.h"

#include <cmath>
#include <iterator>
#include <limits>

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

float horizontal_max(__m512 v) {
    const __m256 h = _mm256_max_ps(_mm512_extractf32x8_ps(v, 0), _mm512_extractf32x8_ps(v, 1));
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

constexpr int k_lanes = 16;

__mmask16 tail_mask(int64_t rest) { return static_cast<__mmask16>((1u << rest) - 1u); }

template <class Op>
void map_rows(const float* a, const float* b, float* y, int64_t n, Op op) {
    int64_t i = 0;
    for (; i + k_lanes <= n; i += k_lanes) _mm512_storeu_ps(y + i, op(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i)));
    if (i < n) {
        const __mmask16 m = tail_mask(n - i);
        _mm512_mask_storeu_ps(y + i, m, op(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i)));
    }
}

void exp_row(const float* x, float* y, int64_t n) {
    map_rows(x, x, y, n, [](__m512 v, __m512) { return exp_avx512(v); });
}

void rms_norm_row(const float* x, const float* w, float* y, int64_t n, float eps) {
    __m512 acc = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + k_lanes <= n; i += k_lanes) {
        const __m512 v = _mm512_loadu_ps(x + i);
        acc = _mm512_fmadd_ps(v, v, acc);
    }
    if (i < n) {
        const __m512 v = _mm512_maskz_loadu_ps(tail_mask(n - i), x + i);
        acc = _mm512_fmadd_ps(v, v, acc);
    }
    const __m512 scale = _mm512_set1_ps(1.0f / std::sqrt(horizontal_sum(acc) / static_cast<float>(n) + eps));
    map_rows(x, w, y, n, [scale](__m512 v, __m512 wv) { return _mm512_mul_ps(_mm512_mul_ps(v, scale), wv); });
}

void swiglu_row(const float* g, const float* u, float* y, int64_t n) {
    map_rows(g, u, y, n, [](__m512 gv, __m512 uv) {
        const __m512 e = exp_avx512(_mm512_sub_ps(_mm512_setzero_ps(), gv));
        return _mm512_mul_ps(_mm512_div_ps(gv, _mm512_add_ps(_mm512_set1_ps(1.0f), e)), uv);
    });
}

float max_row(const float* x, int64_t n) {
    const __m512 lowest = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
    __m512 m = lowest;
    int64_t i = 0;
    // maxps returns its second operand when either is NaN, so NaN inputs are skipped.
    for (; i + k_lanes <= n; i += k_lanes) m = _mm512_max_ps(_mm512_loadu_ps(x + i), m);
    if (i < n) m = _mm512_max_ps(_mm512_mask_loadu_ps(lowest, tail_mask(n - i), x + i), m);
    return horizontal_max(m);
}

float exp_shifted_sum_row(float* x, int64_t n, float shift) {
    const __m512 s = _mm512_set1_ps(shift);
    __m512 acc = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + k_lanes <= n; i += k_lanes) {
        const __m512 e = exp_avx512(_mm512_sub_ps(_mm512_loadu_ps(x + i), s));
        _mm512_storeu_ps(x + i, e);
        acc = _mm512_add_ps(acc, e);
    }
    if (i < n) {
        const __mmask16 m = tail_mask(n - i);
        const __m512 e = _mm512_maskz_mov_ps(m, exp_avx512(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), s)));
        _mm512_mask_storeu_ps(x + i, m, e);
        acc = _mm512_add_ps(acc, e);
    }
    return horizontal_sum(acc);
}

void scale_row(const float* x, float s, float* y, int64_t n) {
    const __m512 sv = _mm512_set1_ps(s);
    map_rows(x, x, y, n, [sv](__m512 v, __m512) { return _mm512_mul_ps(v, sv); });
}

void add_row(const float* a, const float* b, float* y, int64_t n) {
    map_rows(a, b, y, n, [](__m512 av, __m512 bv) { return _mm512_add_ps(av, bv); });
}

void layer_norm_row(const float* x, const float* w, const float* b, float* y, int64_t n, float eps) {
    __m512 acc = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + k_lanes <= n; i += k_lanes) acc = _mm512_add_ps(acc, _mm512_loadu_ps(x + i));
    if (i < n) acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(tail_mask(n - i), x + i));
    const __m512 mean = _mm512_set1_ps(horizontal_sum(acc) / static_cast<float>(n));
    acc = _mm512_setzero_ps();
    for (i = 0; i + k_lanes <= n; i += k_lanes) {
        const __m512 d = _mm512_sub_ps(_mm512_loadu_ps(x + i), mean);
        acc = _mm512_fmadd_ps(d, d, acc);
    }
    if (i < n) {
        // Lanes past the end load the mean and add (mean - mean)^2 = 0.
        const __m512 d = _mm512_sub_ps(_mm512_mask_loadu_ps(mean, tail_mask(n - i), x + i), mean);
        acc = _mm512_fmadd_ps(d, d, acc);
    }
    const __m512 inv_std = _mm512_set1_ps(1.0f / std::sqrt(horizontal_sum(acc) / static_cast<float>(n) + eps));
    for (i = 0; i + k_lanes <= n; i += k_lanes) {
        const __m512 v = _mm512_mul_ps(_mm512_sub_ps(_mm512_loadu_ps(x + i), mean), inv_std);
        _mm512_storeu_ps(y + i, _mm512_fmadd_ps(v, _mm512_loadu_ps(w + i), _mm512_loadu_ps(b + i)));
    }
    if (i < n) {
        const __mmask16 m = tail_mask(n - i);
        const __m512 v = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), mean), inv_std);
        _mm512_mask_storeu_ps(y + i, m, _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, w + i), _mm512_maskz_loadu_ps(m, b + i)));
    }
}

// erfc(u) for u >= 0 (erfc_polynomial.h).
__m512 erfc_nonnegative(__m512 u) {
    const __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(u, _mm512_set1_ps(0.5f), _mm512_set1_ps(1.0f)));
    constexpr int degree = static_cast<int>(std::size(k_erfc_polynomial)) - 1;
    __m512 p = _mm512_set1_ps(k_erfc_polynomial[degree]);
    for (int k = degree - 1; k >= 0; --k) p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(k_erfc_polynomial[k]));
    return _mm512_mul_ps(t, exp_avx512(_mm512_fnmadd_ps(u, u, p)));
}

void gelu_erf_row(const float* x, float* y, int64_t n) {
    map_rows(x, x, y, n, [](__m512 v, __m512) {
        // 1 + erf(x / sqrt 2) is erfc(u) for x < 0 and 2 - erfc(u) otherwise, u = |x| / sqrt 2.
        const __m512 e = erfc_nonnegative(_mm512_mul_ps(_mm512_abs_ps(v), _mm512_set1_ps(0.70710678118654752f)));
        const __mmask16 negative = _mm512_movepi32_mask(_mm512_castps_si512(v));
        const __m512 one_plus_erf = _mm512_mask_blend_ps(negative, _mm512_sub_ps(_mm512_set1_ps(2.0f), e), e);
        return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), v), one_plus_erf);
    });
}

void quick_gelu_row(const float* x, float* y, int64_t n) {
    map_rows(x, x, y, n, [](__m512 v, __m512) {
        const __m512 e = exp_avx512(_mm512_mul_ps(_mm512_set1_ps(-1.702f), v));
        return _mm512_div_ps(v, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
    });
}

void relu_row(const float* x, float* y, int64_t n) {
    // maxps returns its second operand when either is NaN, so NaN passes through.
    map_rows(x, x, y, n, [](__m512 v, __m512) { return _mm512_max_ps(_mm512_setzero_ps(), v); });
}

} // namespace

const row_kernels avx512_row_kernels = {
    exp_row, rms_norm_row, swiglu_row, max_row, exp_shifted_sum_row, scale_row, add_row,
    layer_norm_row, gelu_erf_row, quick_gelu_row, relu_row,
};

} // namespace pxl::cpu
