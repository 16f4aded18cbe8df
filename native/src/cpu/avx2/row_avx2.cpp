// AVX2 + FMA row kernels (kernels.h, row_kernels). Tails shorter than a vector go through a padded
// stack copy, so every element takes the vector path (exp_avx2 differs from std::exp by an ulp or
// two; mixing the two inside one row would make results depend on the row's length).
// Only intrinsics and internal-linkage helpers here (see convert_avx2.cpp for why).
#include "cpu/avx2/exp_avx2.h"
#include "cpu/erfc_polynomial.h"
#include "cpu/kernels.h"
#include "cpu/x86_intrinsics.h"

#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>

namespace pxl::cpu {

namespace {

constexpr int k_lanes = 8;

float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

float horizontal_max(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// The last rest (< 8) values of a row, padded with `fill`.
__m256 load_tail(const float* x, int64_t rest, float fill) {
    float buffer[k_lanes];
    for (float& value : buffer) value = fill;
    std::memcpy(buffer, x, static_cast<size_t>(rest) * sizeof(float));
    return _mm256_loadu_ps(buffer);
}

void store_tail(float* y, __m256 v, int64_t rest) {
    float buffer[k_lanes];
    _mm256_storeu_ps(buffer, v);
    std::memcpy(y, buffer, static_cast<size_t>(rest) * sizeof(float));
}

// y = op(a, b) element-wise (b may be a for unary ops).
template <class Op>
void map_rows(const float* a, const float* b, float* y, int64_t n, Op op) {
    int64_t i = 0;
    for (; i + k_lanes <= n; i += k_lanes) _mm256_storeu_ps(y + i, op(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
    if (i < n) store_tail(y + i, op(load_tail(a + i, n - i, 0.0f), load_tail(b + i, n - i, 0.0f)), n - i);
}

void exp_row(const float* x, float* y, int64_t n) {
    map_rows(x, x, y, n, [](__m256 v, __m256) { return exp_avx2(v); });
}

void rms_norm_row(const float* x, const float* w, float* y, int64_t n, float eps) {
    __m256 acc = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + k_lanes <= n; i += k_lanes) {
        const __m256 v = _mm256_loadu_ps(x + i);
        acc = _mm256_fmadd_ps(v, v, acc);
    }
    if (i < n) {
        const __m256 v = load_tail(x + i, n - i, 0.0f);
        acc = _mm256_fmadd_ps(v, v, acc);
    }
    const __m256 scale = _mm256_set1_ps(1.0f / std::sqrt(horizontal_sum(acc) / static_cast<float>(n) + eps));
    map_rows(x, w, y, n, [scale](__m256 v, __m256 wv) { return _mm256_mul_ps(_mm256_mul_ps(v, scale), wv); });
}

void swiglu_row(const float* g, const float* u, float* y, int64_t n) {
    map_rows(g, u, y, n, [](__m256 gv, __m256 uv) {
        const __m256 e = exp_avx2(_mm256_sub_ps(_mm256_setzero_ps(), gv));
        return _mm256_mul_ps(_mm256_div_ps(gv, _mm256_add_ps(_mm256_set1_ps(1.0f), e)), uv);
    });
}

float max_row(const float* x, int64_t n) {
    constexpr float lowest = -std::numeric_limits<float>::infinity();
    __m256 m = _mm256_set1_ps(lowest);
    int64_t i = 0;
    // maxps returns its second operand when either is NaN, so NaN inputs are skipped.
    for (; i + k_lanes <= n; i += k_lanes) m = _mm256_max_ps(_mm256_loadu_ps(x + i), m);
    if (i < n) m = _mm256_max_ps(load_tail(x + i, n - i, lowest), m);
    return horizontal_max(m);
}

float exp_shifted_sum_row(float* x, int64_t n, float shift) {
    const __m256 s = _mm256_set1_ps(shift);
    __m256 acc = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + k_lanes <= n; i += k_lanes) {
        const __m256 e = exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(x + i), s));
        _mm256_storeu_ps(x + i, e);
        acc = _mm256_add_ps(acc, e);
    }
    if (i < n) {
        // Padding with -inf adds e^-inf = 0 to the sum.
        const __m256 e = exp_avx2(_mm256_sub_ps(load_tail(x + i, n - i, -std::numeric_limits<float>::infinity()), s));
        store_tail(x + i, e, n - i);
        acc = _mm256_add_ps(acc, e);
    }
    return horizontal_sum(acc);
}

void scale_row(const float* x, float s, float* y, int64_t n) {
    const __m256 sv = _mm256_set1_ps(s);
    map_rows(x, x, y, n, [sv](__m256 v, __m256) { return _mm256_mul_ps(v, sv); });
}

void add_row(const float* a, const float* b, float* y, int64_t n) {
    map_rows(a, b, y, n, [](__m256 av, __m256 bv) { return _mm256_add_ps(av, bv); });
}

void layer_norm_row(const float* x, const float* w, const float* b, float* y, int64_t n, float eps) {
    __m256 acc = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + k_lanes <= n; i += k_lanes) acc = _mm256_add_ps(acc, _mm256_loadu_ps(x + i));
    if (i < n) acc = _mm256_add_ps(acc, load_tail(x + i, n - i, 0.0f));
    const float mean_value = horizontal_sum(acc) / static_cast<float>(n);
    const __m256 mean = _mm256_set1_ps(mean_value);
    acc = _mm256_setzero_ps();
    for (i = 0; i + k_lanes <= n; i += k_lanes) {
        const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(x + i), mean);
        acc = _mm256_fmadd_ps(d, d, acc);
    }
    if (i < n) {
        // Padding with the mean adds (mean - mean)^2 = 0.
        const __m256 d = _mm256_sub_ps(load_tail(x + i, n - i, mean_value), mean);
        acc = _mm256_fmadd_ps(d, d, acc);
    }
    const __m256 inv_std = _mm256_set1_ps(1.0f / std::sqrt(horizontal_sum(acc) / static_cast<float>(n) + eps));
    for (i = 0; i + k_lanes <= n; i += k_lanes) {
        const __m256 v = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), mean), inv_std);
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(v, _mm256_loadu_ps(w + i), _mm256_loadu_ps(b + i)));
    }
    if (i < n) {
        const int64_t rest = n - i;
        const __m256 v = _mm256_mul_ps(_mm256_sub_ps(load_tail(x + i, rest, 0.0f), mean), inv_std);
        store_tail(y + i, _mm256_fmadd_ps(v, load_tail(w + i, rest, 0.0f), load_tail(b + i, rest, 0.0f)), rest);
    }
}

// erfc(u) for u >= 0 (erfc_polynomial.h).
__m256 erfc_nonnegative(__m256 u) {
    const __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_fmadd_ps(u, _mm256_set1_ps(0.5f), _mm256_set1_ps(1.0f)));
    constexpr int degree = static_cast<int>(std::size(k_erfc_polynomial)) - 1;
    __m256 p = _mm256_set1_ps(k_erfc_polynomial[degree]);
    for (int k = degree - 1; k >= 0; --k) p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(k_erfc_polynomial[k]));
    return _mm256_mul_ps(t, exp_avx2(_mm256_fnmadd_ps(u, u, p)));
}

void gelu_erf_row(const float* x, float* y, int64_t n) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    map_rows(x, x, y, n, [sign](__m256 v, __m256) {
        // 1 + erf(x / sqrt 2) is erfc(u) for x < 0 and 2 - erfc(u) otherwise, u = |x| / sqrt 2.
        const __m256 e = erfc_nonnegative(_mm256_mul_ps(_mm256_andnot_ps(sign, v), _mm256_set1_ps(0.70710678118654752f)));
        const __m256 one_plus_erf = _mm256_blendv_ps(_mm256_sub_ps(_mm256_set1_ps(2.0f), e), e, v);
        return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), v), one_plus_erf);
    });
}

void quick_gelu_row(const float* x, float* y, int64_t n) {
    map_rows(x, x, y, n, [](__m256 v, __m256) {
        const __m256 e = exp_avx2(_mm256_mul_ps(_mm256_set1_ps(-1.702f), v));
        return _mm256_div_ps(v, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
    });
}

void relu_row(const float* x, float* y, int64_t n) {
    // maxps returns its second operand when either is NaN, so NaN passes through.
    map_rows(x, x, y, n, [](__m256 v, __m256) { return _mm256_max_ps(_mm256_setzero_ps(), v); });
}

} // namespace

const row_kernels avx2_row_kernels = {
    exp_row, rms_norm_row, swiglu_row, max_row, exp_shifted_sum_row, scale_row, add_row,
    layer_norm_row, gelu_erf_row, quick_gelu_row, relu_row,
};

} // namespace pxl::cpu
