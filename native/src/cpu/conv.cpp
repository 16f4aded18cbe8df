#include "cpu/conv.h"

#include <cstring>

namespace pxl::cpu {

namespace {

// Image rows per task below which the pool is not worth waking (a 32-wide row of 256 channels is
// 8 Ki floats).
constexpr int64_t k_min_floats_per_task = 16 * 1024;

template <class Body>
void for_each_image_row(thread_pool& pool, int64_t rows, int64_t floats_per_row, Body body) {
    auto run = [&](int64_t begin, int64_t end, int) {
        for (int64_t y = begin; y < end; ++y) body(y);
    };
    if (rows * floats_per_row <= k_min_floats_per_task)
        run(0, rows, 0);
    else
        pool.parallel_for(rows, run);
}

} // namespace

void im2col_3x3(thread_pool& pool, const float* x, int64_t h, int64_t w, int64_t c, float* cols) {
    for_each_image_row(pool, h, w * c * 9, [&](int64_t y) {
        for (int64_t xx = 0; xx < w; ++xx) {
            float* row = cols + (y * w + xx) * c * 9;
            for (int64_t ky = 0; ky < 3; ++ky) {
                for (int64_t kx = 0; kx < 3; ++kx) {
                    const int64_t sy = y + ky - 1, sx = xx + kx - 1;
                    float* dst = row + ky * 3 + kx;
                    if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
                        for (int64_t ci = 0; ci < c; ++ci) dst[ci * 9] = 0.0f;
                        continue;
                    }
                    const float* src = x + (sy * w + sx) * c;
                    for (int64_t ci = 0; ci < c; ++ci) dst[ci * 9] = src[ci];
                }
            }
        }
    });
}

void depth_to_space_2x2(thread_pool& pool, const float* taps, int64_t h, int64_t w, int64_t c, const float* bias,
                        float* out) {
    for_each_image_row(pool, h, w * c * 4, [&](int64_t y) {
        for (int64_t xx = 0; xx < w; ++xx) {
            const float* in = taps + (y * w + xx) * 4 * c;
            for (int64_t a = 0; a < 2; ++a) {
                for (int64_t b = 0; b < 2; ++b) {
                    const float* tap = in + (a * 2 + b) * c;
                    float* dst = out + ((2 * y + a) * 2 * w + 2 * xx + b) * c;
                    if (bias == nullptr) {
                        std::memcpy(dst, tap, static_cast<size_t>(c) * sizeof(float));
                        continue;
                    }
                    for (int64_t ci = 0; ci < c; ++ci) dst[ci] = tap[ci] + bias[ci];
                }
            }
        }
    });
}

} // namespace pxl::cpu
