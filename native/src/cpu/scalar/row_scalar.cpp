// Scalar reference row kernels (kernels.h, row_kernels): std::exp / std::erfc, f32 arithmetic in
// index order.
#include "cpu/kernels.h"

#include <cmath>
#include <limits>

namespace pxl::cpu {

namespace {

void exp_row(const float* x, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = std::exp(x[i]);
}

void rms_norm_row(const float* x, const float* w, float* y, int64_t n, float eps) {
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i) sum += x[i] * x[i];
    const float scale = 1.0f / std::sqrt(sum / static_cast<float>(n) + eps);
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] * scale * w[i];
}

void swiglu_row(const float* g, const float* u, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = g[i] / (1.0f + std::exp(-g[i])) * u[i];
}

float max_row(const float* x, int64_t n) {
    float m = -std::numeric_limits<float>::infinity();
    for (int64_t i = 0; i < n; ++i)
        if (x[i] > m) m = x[i];
    return m;
}

float exp_shifted_sum_row(float* x, int64_t n, float shift) {
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
        x[i] = std::exp(x[i] - shift);
        sum += x[i];
    }
    return sum;
}

void scale_row(const float* x, float s, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] * s;
}

void add_row(const float* a, const float* b, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = a[i] + b[i];
}

void layer_norm_row(const float* x, const float* w, const float* b, float* y, int64_t n, float eps) {
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i) sum += x[i];
    const float mean = sum / static_cast<float>(n);
    float squares = 0.0f;
    for (int64_t i = 0; i < n; ++i) squares += (x[i] - mean) * (x[i] - mean);
    const float inv_std = 1.0f / std::sqrt(squares / static_cast<float>(n) + eps);
    for (int64_t i = 0; i < n; ++i) y[i] = (x[i] - mean) * inv_std * w[i] + b[i];
}

void gelu_erf_row(const float* x, float* y, int64_t n) {
    constexpr float inv_sqrt2 = 0.70710678118654752f;
    for (int64_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * std::erfc(-x[i] * inv_sqrt2);
}

void quick_gelu_row(const float* x, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] / (1.0f + std::exp(-1.702f * x[i]));
}

void relu_row(const float* x, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

} // namespace

const row_kernels scalar_row_kernels = {
    exp_row, rms_norm_row, swiglu_row, max_row, exp_shifted_sum_row, scale_row, add_row,
    layer_norm_row, gelu_erf_row, quick_gelu_row, relu_row,
};

} // namespace pxl::cpu
