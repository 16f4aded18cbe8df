// Known values of the scalar f16 / bf16 reference (cpu/half_float.h).
#include "cpu/half_float.h"
#include "cpu/test_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace pxl::test {
namespace {

using cpu::bf16_to_f32;
using cpu::f16_to_f32;
using cpu::f32_to_bf16;
using cpu::f32_to_f16;

TEST(f16_reference, encodes_normal_values_exactly) {
    EXPECT_EQ(f32_to_f16(0.0f), 0x0000);
    EXPECT_EQ(f32_to_f16(-0.0f), 0x8000);
    EXPECT_EQ(f32_to_f16(1.0f), 0x3c00);
    EXPECT_EQ(f32_to_f16(-2.0f), 0xc000);
    EXPECT_EQ(f32_to_f16(0.375f), 0x3600);
    EXPECT_EQ(f32_to_f16(65504.0f), 0x7bff);               // largest finite
    EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -14)), 0x0400);  // smallest normal
}

TEST(f16_reference, rounds_to_nearest_even) {
    EXPECT_EQ(f32_to_f16(1.0f + std::ldexp(1.0f, -11)), 0x3c00);  // tie, even below
    EXPECT_EQ(f32_to_f16(1.0f + std::ldexp(3.0f, -11)), 0x3c02);  // tie, even above
    EXPECT_EQ(f32_to_f16(std::nextafter(1.0f + std::ldexp(1.0f, -11), 2.0f)), 0x3c01);
    EXPECT_EQ(f32_to_f16(std::nextafter(1.0f + std::ldexp(3.0f, -11), 0.0f)), 0x3c01);
    EXPECT_EQ(f32_to_f16(2047.5f), 0x6800);  // tie between 2047 (odd) and 2048: carries into the exponent
}

TEST(f16_reference, handles_subnormals) {
    EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -24)), 0x0001);  // smallest subnormal
    EXPECT_EQ(f32_to_f16(std::ldexp(1023.0f, -24)), 0x03ff);
    EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -25)), 0x0000);  // tie with 0: even
    EXPECT_EQ(f32_to_f16(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), 0x0001);
    EXPECT_EQ(f32_to_f16(std::ldexp(3.0f, -25)), 0x0002);  // tie between 1 and 2: even
    EXPECT_EQ(f32_to_f16(std::ldexp(5.0f, -25)), 0x0002);  // tie between 2 and 3: even
    EXPECT_EQ(f32_to_f16(-std::ldexp(1.0f, -26)), 0x8000);
    EXPECT_EQ(f32_to_f16(std::ldexp(2047.0f, -25)), 0x0400);  // tie at the top: rounds up into the normals
    EXPECT_EQ(f32_to_f16(std::numeric_limits<float>::denorm_min()), 0x0000);
    EXPECT_EQ(f16_to_f32(0x0001), std::ldexp(1.0f, -24));
    EXPECT_EQ(f16_to_f32(0x83ff), -std::ldexp(1023.0f, -24));
}

TEST(f16_reference, overflows_to_infinity) {
    EXPECT_EQ(f32_to_f16(65519.996f), 0x7bff);
    EXPECT_EQ(f32_to_f16(65520.0f), 0x7c00);  // tie between 65504 and 65536: even, which is inf
    EXPECT_EQ(f32_to_f16(-1e6f), 0xfc00);
    EXPECT_EQ(f32_to_f16(std::numeric_limits<float>::max()), 0x7c00);
    EXPECT_EQ(f32_to_f16(std::numeric_limits<float>::infinity()), 0x7c00);
    EXPECT_EQ(f32_to_f16(-std::numeric_limits<float>::infinity()), 0xfc00);
    EXPECT_EQ(f16_to_f32(0x7c00), std::numeric_limits<float>::infinity());
}

TEST(f16_reference, keeps_nan_a_quiet_nan) {
    EXPECT_EQ(f32_to_f16(std::numeric_limits<float>::quiet_NaN()), 0x7e00);
    EXPECT_EQ(f32_to_f16(from_bits(0x7f800001u)), 0x7e00);  // signalling, payload below f16 precision
    EXPECT_EQ(f32_to_f16(from_bits(0xff802000u)), 0xfe01);  // sign and top payload bits kept
    EXPECT_EQ(to_bits(f16_to_f32(0x7c01)), 0x7fc02000u);    // quieted on widening too
    EXPECT_EQ(to_bits(f16_to_f32(0xfe00)), 0xffc00000u);
}

TEST(f16_reference, every_non_nan_half_survives_a_round_trip) {
    for (uint32_t h = 0; h < 65536; ++h) {
        const auto half = static_cast<uint16_t>(h);
        const float value = f16_to_f32(half);
        if (std::isnan(value)) {
            EXPECT_TRUE(std::isnan(f16_to_f32(f32_to_f16(value)))) << std::hex << h;
            continue;
        }
        ASSERT_EQ(f32_to_f16(value), half) << std::hex << h;
    }
}

TEST(f16_reference, round_trip_error_is_at_most_half_an_ulp) {
    for (const float x : gaussian_floats(4096, 7)) {
        if (std::fabs(x) < std::ldexp(1.0f, -14) || std::fabs(x) > 65504.0f) continue;  // normal range only
        EXPECT_LE(std::fabs(f16_to_f32(f32_to_f16(x)) - x), std::fabs(x) * std::ldexp(1.0f, -11)) << x;
    }
}

TEST(bf16_reference, takes_the_top_half_rounded_to_nearest_even) {
    EXPECT_EQ(f32_to_bf16(1.0f), 0x3f80);
    EXPECT_EQ(f32_to_bf16(-0.0f), 0x8000);
    EXPECT_EQ(f32_to_bf16(from_bits(0x3f808000u)), 0x3f80);  // tie, even below
    EXPECT_EQ(f32_to_bf16(from_bits(0x3f818000u)), 0x3f82);  // tie, even above
    EXPECT_EQ(f32_to_bf16(from_bits(0x3f808001u)), 0x3f81);
    EXPECT_EQ(f32_to_bf16(from_bits(0x3f807fffu)), 0x3f80);
    EXPECT_EQ(f32_to_bf16(from_bits(0x00018000u)), 0x0002);  // subnormals round like the rest
    EXPECT_EQ(f32_to_bf16(std::numeric_limits<float>::max()), 0x7f80);  // rounds up to inf
    EXPECT_EQ(f32_to_bf16(-std::numeric_limits<float>::infinity()), 0xff80);
}

TEST(bf16_reference, keeps_nan_a_quiet_nan) {
    EXPECT_EQ(f32_to_bf16(from_bits(0x7f800001u)), 0x7fc0);  // would round to inf without the NaN rule
    EXPECT_EQ(f32_to_bf16(from_bits(0xffffffffu)), 0xffff);  // would carry out of the pattern
    EXPECT_EQ(f32_to_bf16(std::numeric_limits<float>::quiet_NaN()), 0x7fc0);
    EXPECT_EQ(f32_to_bf16(from_bits(0x7fa50000u)), 0x7fe5);
}

TEST(bf16_reference, widens_exactly) {
    EXPECT_EQ(to_bits(bf16_to_f32(0x3f80)), 0x3f800000u);
    EXPECT_EQ(to_bits(bf16_to_f32(0x7f81)), 0x7f810000u);  // NaN bits pass through unchanged
    for (uint32_t h = 0; h < 65536; ++h) ASSERT_EQ(to_bits(bf16_to_f32(static_cast<uint16_t>(h))), h << 16);
}

} // namespace
} // namespace pxl::test
