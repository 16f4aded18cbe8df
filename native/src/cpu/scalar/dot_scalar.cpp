// Scalar reference dot products (kernels.h, dot_kernels): one f32 accumulator per activation row,
// summed in index order. The quantized kernels define the integer rule every level reproduces
// exactly: per 32-block the int32 dot product of the weight values and the activation's int8
// values, converted to f32 and multiplied by (d_w * d_x), summed over blocks in order.
#include "cpu/half_float.h"
#include "cpu/kernels.h"
#include "cpu/quant_blocks.h"

namespace pxl::cpu {

namespace {

template <class Decode>
void float_dot(Decode decode, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride) {
    for (int r = 0; r < n_rows; ++r) {
        const float* xr = x + r * x_stride;
        float sum = 0.0f;
        for (int64_t i = 0; i < k; ++i) sum += decode(i) * xr[i];
        y[r * y_stride] = sum;
    }
}

void dot_f32(const void* w, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride) {
    const auto* wf = static_cast<const float*>(w);
    float_dot([wf](int64_t i) { return wf[i]; }, x, x_stride, n_rows, k, y, y_stride);
}

void dot_f16(const void* w, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride) {
    const auto* wh = static_cast<const uint16_t*>(w);
    float_dot([wh](int64_t i) { return f16_to_f32(wh[i]); }, x, x_stride, n_rows, k, y, y_stride);
}

void dot_bf16(const void* w, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride) {
    const auto* wh = static_cast<const uint16_t*>(w);
    float_dot([wh](int64_t i) { return bf16_to_f32(wh[i]); }, x, x_stride, n_rows, k, y, y_stride);
}

void dot_q8_0(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride) {
    const auto* wb = static_cast<const block_q8_0*>(w);
    const int64_t blocks = x.k / k_qk;
    for (int r = 0; r < n_rows; ++r) {
        const int8_t* xq = x.qs + r * x.k;
        float sum = 0.0f;
        for (int64_t b = 0; b < blocks; ++b) {
            int32_t isum = 0;
            for (int j = 0; j < k_qk; ++j) isum += int32_t{wb[b].qs[j]} * int32_t{xq[b * k_qk + j]};
            sum += static_cast<float>(isum) * (f16_to_f32(wb[b].d) * x.d[r * blocks + b]);
        }
        y[r * y_stride] = sum;
    }
}

// The values are (nibble - 8) as stored; the SIMD levels use x.q4_offset for the - 8 instead, which
// gives the same integer.
void dot_q4_0(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride) {
    const auto* wb = static_cast<const block_q4_0*>(w);
    const int64_t blocks = x.k / k_qk;
    for (int r = 0; r < n_rows; ++r) {
        const int8_t* xq = x.qs + r * x.k;
        float sum = 0.0f;
        for (int64_t b = 0; b < blocks; ++b) {
            int32_t isum = 0;
            for (int j = 0; j < k_qk / 2; ++j) {
                isum += ((wb[b].qs[j] & 0x0f) - 8) * int32_t{xq[b * k_qk + j]};
                isum += ((wb[b].qs[j] >> 4) - 8) * int32_t{xq[b * k_qk + j + k_qk / 2]};
            }
            sum += static_cast<float>(isum) * (f16_to_f32(wb[b].d) * x.d[r * blocks + b]);
        }
        y[r * y_stride] = sum;
    }
}

// The same rule as dot_q8_0, for 8 rows side by side (block_q8_0x8).
void dot_q8_0x8(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols) {
    const auto* wb = static_cast<const block_q8_0x8*>(w);
    const int64_t blocks = x.k / k_qk;
    for (int r = 0; r < n_rows; ++r) {
        const int8_t* xq = x.qs + r * x.k;
        for (int i = 0; i < n_cols; ++i) {
            float sum = 0.0f;
            for (int64_t b = 0; b < blocks; ++b) {
                int32_t isum = 0;
                for (int c = 0; c < 8; ++c)
                    for (int t = 0; t < 4; ++t)
                        isum += (wb[b].qs[c * 32 + 4 * i + t] - 128) * int32_t{xq[b * k_qk + 4 * c + t]};
                sum += static_cast<float>(isum) * (f16_to_f32(wb[b].d[i]) * x.d[r * blocks + b]);
            }
            y[r * y_stride + i] = sum;
        }
    }
}

// The same rule as dot_q4_0, for 8 rows side by side (block_q4_0x8).
void dot_q4_0x8(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols) {
    const auto* wb = static_cast<const block_q4_0x8*>(w);
    const int64_t blocks = x.k / k_qk;
    for (int r = 0; r < n_rows; ++r) {
        const int8_t* xq = x.qs + r * x.k;
        for (int i = 0; i < n_cols; ++i) {
            float sum = 0.0f;
            for (int64_t b = 0; b < blocks; ++b) {
                int32_t isum = 0;
                for (int c = 0; c < 4; ++c) {
                    for (int t = 0; t < 4; ++t) {
                        const uint8_t byte = wb[b].qs[c * 32 + 4 * i + t];
                        isum += ((byte & 0x0f) - 8) * int32_t{xq[b * k_qk + 4 * c + t]};
                        isum += ((byte >> 4) - 8) * int32_t{xq[b * k_qk + 16 + 4 * c + t]};
                    }
                }
                sum += static_cast<float>(isum) * (f16_to_f32(wb[b].d[i]) * x.d[r * blocks + b]);
            }
            y[r * y_stride + i] = sum;
        }
    }
}

} // namespace

const dot_kernels scalar_dot_kernels = {dot_f32, dot_f16, dot_bf16, dot_q8_0, dot_q4_0, dot_q8_0x8, dot_q4_0x8};

} // namespace pxl::cpu
