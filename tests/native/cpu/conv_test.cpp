// The convolution data movement (cpu/conv.h) composed with matmul, against direct convolutions
// written from their definitions (PyTorch's Conv2d 3x3 pad 1 and ConvTranspose2d k2 s2), on
// odd sizes and channel counts, pooled and not. Bound: the products are the same f32 dot products
// summed in another order, within 1e-5 relative to the sum of |terms| (k <= 9 * 37 terms).
#include "core/thread_pool.h"
#include "cpu/conv.h"
#include "cpu/kernels.h"
#include "cpu/matmul.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace pxl::test {
namespace {

std::vector<float> random_values(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = normal(rng);
    return v;
}

TEST(conv, im2col_and_matmul_equal_a_direct_3x3_convolution) {
    thread_pool pool(3);
    struct shape { int64_t h, w, c_in, c_out; };
    for (const shape s : {shape{1, 1, 3, 2}, shape{5, 7, 3, 4}, shape{32, 32, 37, 5}, shape{9, 4, 16, 17}}) {
        const std::vector<float> x = random_values(static_cast<size_t>(s.h * s.w * s.c_in), 1);         // [h w][c_in]
        const std::vector<float> kernel = random_values(static_cast<size_t>(s.c_out * s.c_in * 9), 2);  // [o][i][3][3]
        std::vector<float> columns(static_cast<size_t>(s.h * s.w * s.c_in * 9));
        std::vector<float> y(static_cast<size_t>(s.h * s.w * s.c_out));
        cpu::im2col_3x3(pool, x.data(), s.h, s.w, s.c_in, columns.data());
        const cpu::matmul_weights w{PXL_TENSOR_TYPE_F32, kernel.data(), s.c_out, 9 * s.c_in};
        cpu::matmul(cpu::active_kernels(), pool, w, columns.data(), s.h * s.w, y.data(), nullptr);
        for (int64_t py = 0; py < s.h; ++py)
            for (int64_t px = 0; px < s.w; ++px)
                for (int64_t o = 0; o < s.c_out; ++o) {
                    double sum = 0.0, magnitude = 0.0;
                    for (int64_t i = 0; i < s.c_in; ++i)
                        for (int64_t ky = 0; ky < 3; ++ky)
                            for (int64_t kx = 0; kx < 3; ++kx) {
                                const int64_t sy = py + ky - 1, sx = px + kx - 1;
                                if (sy < 0 || sy >= s.h || sx < 0 || sx >= s.w) continue;
                                const double term = double{kernel[static_cast<size_t>(((o * s.c_in + i) * 3 + ky) * 3 + kx)]} *
                                                    x[static_cast<size_t>((sy * s.w + sx) * s.c_in + i)];
                                sum += term;
                                magnitude += std::fabs(term);
                            }
                    ASSERT_NEAR(y[static_cast<size_t>((py * s.w + px) * s.c_out + o)], sum, 1e-5 * magnitude + 1e-30)
                        << s.h << "x" << s.w << " at (" << py << ", " << px << ") channel " << o;
                }
    }
}

TEST(conv, matmul_and_depth_to_space_equal_a_direct_2x2_transposed_convolution) {
    thread_pool pool(3);
    struct shape { int64_t h, w, c_in, c_out; };
    for (const shape s : {shape{1, 1, 3, 2}, shape{3, 5, 7, 9}, shape{32, 32, 64, 8}, shape{17, 6, 16, 33}}) {
        const std::vector<float> x = random_values(static_cast<size_t>(s.h * s.w * s.c_in), 3);          // [h w][c_in]
        const std::vector<float> kernel = random_values(static_cast<size_t>(s.c_in * s.c_out * 4), 4);   // [i][o][2][2]
        const std::vector<float> bias = random_values(static_cast<size_t>(s.c_out), 5);
        // The kernel as model/pixel/mask_head_weights.h repacks it: [(a * 2 + b) * c_out + o][c_in].
        std::vector<float> packed(kernel.size());
        for (int64_t i = 0; i < s.c_in; ++i)
            for (int64_t o = 0; o < s.c_out; ++o)
                for (int64_t tap = 0; tap < 4; ++tap)
                    packed[static_cast<size_t>((tap * s.c_out + o) * s.c_in + i)] = kernel[static_cast<size_t>((i * s.c_out + o) * 4 + tap)];
        std::vector<float> taps(static_cast<size_t>(s.h * s.w * 4 * s.c_out));
        std::vector<float> y(taps.size());
        const cpu::matmul_weights w{PXL_TENSOR_TYPE_F32, packed.data(), 4 * s.c_out, s.c_in};
        cpu::matmul(cpu::active_kernels(), pool, w, x.data(), s.h * s.w, taps.data(), nullptr);
        cpu::depth_to_space_2x2(pool, taps.data(), s.h, s.w, s.c_out, bias.data(), y.data());
        for (int64_t oy = 0; oy < 2 * s.h; ++oy)
            for (int64_t ox = 0; ox < 2 * s.w; ++ox)
                for (int64_t o = 0; o < s.c_out; ++o) {
                    const int64_t iy = oy / 2, ix = ox / 2, a = oy % 2, b = ox % 2;
                    double sum = bias[static_cast<size_t>(o)], magnitude = std::fabs(sum);
                    for (int64_t i = 0; i < s.c_in; ++i) {
                        const double term = double{x[static_cast<size_t>((iy * s.w + ix) * s.c_in + i)]} *
                                            kernel[static_cast<size_t>(((i * s.c_out + o) * 2 + a) * 2 + b)];
                        sum += term;
                        magnitude += std::fabs(term);
                    }
                    ASSERT_NEAR(y[static_cast<size_t>((oy * 2 * s.w + ox) * s.c_out + o)], sum, 1e-5 * magnitude)
                        << s.h << "x" << s.w << " at (" << oy << ", " << ox << ") channel " << o;
                }
        // Without a bias the taps are copied unchanged.
        cpu::depth_to_space_2x2(pool, taps.data(), s.h, s.w, s.c_out, nullptr, y.data());
        EXPECT_EQ(y[static_cast<size_t>(((2 * s.h - 1) * 2 * s.w + 1) * s.c_out)],
                  taps[static_cast<size_t>(((s.h - 1) * s.w) * 4 * s.c_out + (1 * 2 + 1) * s.c_out)]);
    }
}

} // namespace
} // namespace pxl::test
