// Hand-computed blocks and error bounds of the scalar Q8_0 / Q4_0 reference
// (scalar/convert_scalar.cpp), the rules the Python reference reproduces.
#include "cpu/half_float.h"
#include "cpu/kernels.h"
#include "cpu/quant_blocks.h"
#include "cpu/test_data.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace pxl::test {
namespace {

using cpu::block_q4_0;
using cpu::block_q8_0;

const cpu::convert_kernels& scalar() { return *cpu::kernels_for(PXL_CPU_ISA_SCALAR)->convert; }

block_q8_0 quantize_q8_0(const std::array<float, 32>& x) {
    block_q8_0 block{};
    scalar().f32_to_q8_0(x.data(), &block, 32);
    return block;
}

block_q4_0 quantize_q4_0(const std::array<float, 32>& x) {
    block_q4_0 block{};
    scalar().f32_to_q4_0(x.data(), &block, 32);
    return block;
}

TEST(q8_0_reference, block_with_scale_one_rounds_half_away_from_zero) {
    std::array<float, 32> x{};
    const float values[] = {127.0f, -0.5f, 0.5f, 1.5f, -1.5f, 2.49f, -2.5f, 0.0f, 3.7f, -126.5f};
    const int8_t expected[] = {127, -1, 1, 2, -2, 2, -3, 0, 4, -127};
    std::copy(std::begin(values), std::end(values), x.begin());
    const block_q8_0 block = quantize_q8_0(x);
    EXPECT_EQ(block.d, 0x3c00);  // amax 127 -> d = 1
    for (int j = 0; j < 32; ++j) EXPECT_EQ(block.qs[j], j < 10 ? expected[j] : 0) << "value " << j;

    std::array<float, 32> y{};
    scalar().q8_0_to_f32(&block, y.data(), 32);
    for (int j = 0; j < 32; ++j) EXPECT_EQ(y[j], static_cast<float>(block.qs[j])) << "value " << j;
}

TEST(q8_0_reference, block_with_scale_one_half) {
    std::array<float, 32> x{};
    x[0] = -63.5f;  // amax -> d = 0.5, id = 2
    x[1] = 0.25f;
    x[2] = -0.75f;
    x[3] = 10.1f;
    const block_q8_0 block = quantize_q8_0(x);
    EXPECT_EQ(block.d, 0x3800);
    EXPECT_EQ(block.qs[0], -127);
    EXPECT_EQ(block.qs[1], 1);   // 0.5 -> 1
    EXPECT_EQ(block.qs[2], -2);  // -1.5 -> -2
    EXPECT_EQ(block.qs[3], 20);  // 20.2 -> 20
    std::array<float, 32> y{};
    scalar().q8_0_to_f32(&block, y.data(), 32);
    EXPECT_EQ(y[0], -63.5f);
    EXPECT_EQ(y[1], 0.5f);
    EXPECT_EQ(y[2], -1.0f);
    EXPECT_EQ(y[3], 10.0f);
    EXPECT_EQ(y[4], 0.0f);
}

TEST(q8_0_reference, zero_block_has_zero_scale) {
    const block_q8_0 block = quantize_q8_0({});
    EXPECT_EQ(block.d, 0x0000);
    for (const int8_t q : block.qs) EXPECT_EQ(q, 0);
}

TEST(q8_0_reference, non_finite_and_tiny_inputs_stay_defined) {
    std::array<float, 32> x{};
    x[0] = 127.0f;
    x[1] = std::numeric_limits<float>::quiet_NaN();  // ignored by the max, encodes as 0
    x[2] = -63.5f;
    block_q8_0 block = quantize_q8_0(x);
    EXPECT_EQ(block.d, 0x3c00);
    EXPECT_EQ(block.qs[0], 127);
    EXPECT_EQ(block.qs[1], 0);
    EXPECT_EQ(block.qs[2], -64);

    // 1 / d overflows to inf: the clamp keeps q in range instead of converting inf to int8.
    for (int j = 0; j < 32; ++j) x[j] = std::ldexp(static_cast<float>(j - 16), -131);
    block = quantize_q8_0(x);
    EXPECT_EQ(block.qs[0], -127);
    EXPECT_EQ(block.qs[16], 0);  // 0 * inf is NaN -> 0
    EXPECT_EQ(block.qs[31], 127);
}

TEST(q4_0_reference, block_with_negative_extreme) {
    std::array<float, 32> x{};
    x[0] = -8.0f;  // m = -8 -> d = 1, id = 1; q = trunc(x + 8.5) clamped to 15
    x[1] = 7.0f;
    x[2] = 7.5f;
    x[3] = 0.0f;
    x[4] = -0.5f;
    x[5] = -0.6f;
    x[6] = 3.2f;
    x[7] = -7.9f;
    x[16] = 1.0f;
    x[17] = -1.0f;
    x[31] = 6.5f;
    const block_q4_0 block = quantize_q4_0(x);
    EXPECT_EQ(block.d, 0x3c00);
    const uint8_t expected[16] = {0x90, 0x7f, 0x8f, 0x88, 0x88, 0x87, 0x8b, 0x80,
                                  0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0xf8};
    for (int j = 0; j < 16; ++j) EXPECT_EQ(block.qs[j], expected[j]) << "byte " << j;

    std::array<float, 32> y{};
    scalar().q4_0_to_f32(&block, y.data(), 32);
    const float dequantized[32] = {-8, 7, 7, 0, 0, -1, 3, -8, 0, 0, 0, 0, 0, 0, 0, 0,
                                   1,  -1, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 7};
    for (int j = 0; j < 32; ++j) EXPECT_EQ(y[j], dequantized[j]) << "value " << j;
}

TEST(q4_0_reference, block_with_positive_extreme_gets_negative_scale) {
    std::array<float, 32> x{};
    x[0] = 1.0f;    // 1 * -2 + 8.5 = 6.5 -> 6
    x[1] = 4.0f;    // m = 4 -> d = -0.5, id = -2; 0.5 -> 0
    x[2] = -4.0f;   // 16.5 -> 15
    x[3] = -3.75f;  // 16 -> 15
    x[4] = 0.25f;   // 8 -> 8
    const block_q4_0 block = quantize_q4_0(x);
    EXPECT_EQ(block.d, 0xb800);
    const uint8_t expected[16] = {0x86, 0x80, 0x8f, 0x8f, 0x88, 0x88, 0x88, 0x88,
                                  0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88};
    for (int j = 0; j < 16; ++j) EXPECT_EQ(block.qs[j], expected[j]) << "byte " << j;
    std::array<float, 32> y{};
    scalar().q4_0_to_f32(&block, y.data(), 32);
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(y[1], 4.0f);
    EXPECT_EQ(y[2], -3.5f);
    EXPECT_EQ(y[3], -3.5f);
    EXPECT_EQ(y[4], 0.0f);
}

TEST(q4_0_reference, first_value_wins_a_magnitude_tie) {
    std::array<float, 32> x{};
    x[3] = 3.0f;
    x[20] = -3.0f;
    EXPECT_EQ(quantize_q4_0(x).d, 0xb600);  // m = 3 -> d = -0.375
    x[3] = -3.0f;
    x[20] = 3.0f;
    EXPECT_EQ(quantize_q4_0(x).d, 0x3600);  // m = -3 -> d = 0.375
}

TEST(q4_0_reference, multiplies_and_adds_without_fusing) {
    std::array<float, 32> x{};
    x[0] = -7.3f;
    x[1] = -0x1.413334p+2f;  // fl(fl(x * id) + 8.5f) = 3.0000002; a fused multiply-add gives 2.9999998
    EXPECT_EQ(quantize_q4_0(x).qs[1] & 0x0f, 3);
}

TEST(q4_0_reference, zero_block_has_negative_zero_scale) {
    // 0 / -8 is -0, as GGUF's reference quantizer writes it.
    const block_q4_0 block = quantize_q4_0({});
    EXPECT_EQ(block.d, 0x8000);
    for (const uint8_t q : block.qs) EXPECT_EQ(q, 0x88);
}

TEST(q4_0_reference, non_finite_and_tiny_inputs_stay_defined) {
    std::array<float, 32> x{};
    x[0] = -8.0f;
    x[1] = std::numeric_limits<float>::quiet_NaN();  // ignored by the max, encodes as 8
    block_q4_0 block = quantize_q4_0(x);
    EXPECT_EQ(block.d, 0x3c00);
    EXPECT_EQ(block.qs[1], 0x88);

    // 1 / d overflows: values clamp to the ends instead of converting inf to int.
    for (int j = 0; j < 32; ++j) x[j] = std::ldexp(static_cast<float>(j - 16), -131);
    block = quantize_q4_0(x);  // m = -2^-127, id = +inf
    EXPECT_EQ(block.qs[0] & 0x0f, 0);    // -inf -> 0
    EXPECT_EQ(block.qs[0] >> 4, 8);      // 0 * inf is NaN -> 8
    EXPECT_EQ(block.qs[15] >> 4, 15);    // +inf -> 15
}

// |x - dequantize(quantize(x))| <= d / 2 (Q4_0: up to |d| at the clamped end), plus the f16
// rounding of the stored scale and the float rounding of the products.
TEST(quantize_reference, round_trip_error_is_bounded_per_block) {
    const int64_t n = 32 * 512;
    const std::vector<float> x = gaussian_floats(n, 11);
    std::vector<block_q8_0> q8(n / 32);
    std::vector<block_q4_0> q4(n / 32);
    std::vector<float> y8(n), y4(n);
    scalar().f32_to_q8_0(x.data(), q8.data(), n);
    scalar().q8_0_to_f32(q8.data(), y8.data(), n);
    scalar().f32_to_q4_0(x.data(), q4.data(), n);
    scalar().q4_0_to_f32(q4.data(), y4.data(), n);
    for (int64_t b = 0; b < n / 32; ++b) {
        float amax = 0.0f, m = 0.0f;
        for (int j = 0; j < 32; ++j)
            if (std::fabs(x[b * 32 + j]) > amax) amax = std::fabs(x[b * 32 + j]), m = x[b * 32 + j];
        const float slack = amax * 1e-6f;
        const float d8 = amax / 127.0f;
        const float d8_stored = cpu::f16_to_f32(q8[b].d);
        const float d4 = m / -8.0f;
        const float d4_stored = cpu::f16_to_f32(q4[b].d);
        for (int j = 0; j < 32; ++j) {
            const int64_t i = b * 32 + j;
            EXPECT_LE(std::fabs(x[i] - y8[i]), 0.5f * d8 + 127.0f * std::fabs(d8 - d8_stored) + slack) << "q8_0 value " << i;
            const int nibble = (j < 16 ? q4[b].qs[j] & 0x0f : q4[b].qs[j - 16] >> 4);
            const float step = nibble == 15 ? std::fabs(d4) : 0.5f * std::fabs(d4);
            EXPECT_LE(std::fabs(x[i] - y4[i]), step + 8.0f * std::fabs(d4 - d4_stored) + slack) << "q4_0 value " << i;
        }
    }
}

} // namespace
} // namespace pxl::test
