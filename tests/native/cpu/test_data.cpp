#include "cpu/test_data.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace pxl::test {

float from_bits(uint32_t bits) {
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

uint32_t to_bits(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

std::vector<float> gaussian_floats(int64_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::uniform_real_distribution<float> exponent(-4.0f, 4.0f);
    std::uniform_int_distribution<int> one_in_ten(0, 9);
    std::vector<float> values(static_cast<size_t>(n));
    float scale = 1.0f;
    for (int64_t i = 0; i < n; ++i) {
        if (i % 32 == 0) scale = std::pow(10.0f, exponent(rng));
        values[static_cast<size_t>(i)] = one_in_ten(rng) == 0 ? 0.0f : normal(rng) * scale;
    }
    return values;
}

std::vector<float> wide_floats(int64_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<float> values(static_cast<size_t>(n));
    for (float& value : values) {
        do value = from_bits(static_cast<uint32_t>(rng()));
        while (!std::isfinite(value));
    }
    return values;
}

std::vector<float> special_floats(int64_t n, uint32_t seed) {
    const float specials[] = {
        0.0f, -0.0f, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
        std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::quiet_NaN(),
        from_bits(0x7f800001u),  // signalling NaN
        from_bits(0xffa12345u),  // negative NaN with a payload
        std::numeric_limits<float>::denorm_min(), -std::numeric_limits<float>::denorm_min(),
        from_bits(0x007fffffu),  // largest f32 subnormal
        std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
        65504.0f, 65519.996f, 65520.0f, -65520.0f, 1e6f,
        std::ldexp(1.0f, -24), std::ldexp(1.0f, -25), std::ldexp(3.0f, -25), std::ldexp(1.0f, -14) - std::ldexp(1.0f, -25),
        1.0f + std::ldexp(1.0f, -11), 1.0f + std::ldexp(3.0f, -11),
        from_bits(0x3f808000u), from_bits(0x3f818000u), from_bits(0x7f7f8000u),  // bf16 ties
    };
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 3.0f);
    std::uniform_int_distribution<size_t> pick(0, 2 * std::size(specials));
    std::vector<float> values(static_cast<size_t>(n));
    for (float& value : values) {
        const size_t k = pick(rng);
        value = k < std::size(specials) ? specials[k] : normal(rng);
    }
    return values;
}

std::vector<float> edge_blocks(int64_t n) {
    std::vector<std::vector<float>> patterns;
    std::vector<float> block(32);
    // Q8_0 with d = 1: every x * id is a half-integer tie or its neighbour.
    for (int j = 0; j < 32; ++j) block[j] = static_cast<float>(j - 16) + 0.5f;
    block[5] = 127.0f;
    patterns.push_back(block);
    for (int j = 0; j < 32; ++j) block[j] = std::nextafter(static_cast<float>(j - 16) + 0.5f, j % 2 ? 100.0f : -100.0f);
    block[9] = -127.0f;
    patterns.push_back(block);
    // Q4_0 with m = -8, so d = 1: x * id + 8.5 lands on integers and on the clamp at 15.
    for (int j = 0; j < 32; ++j) block[j] = static_cast<float>(j % 16 - 8) + (j % 2 ? 0.5f : 0.0f);
    block[31] = 7.5f;
    patterns.push_back(block);
    for (int j = 1; j < 31; ++j) block[j] = std::nextafter(block[j], j % 4 < 2 ? 100.0f : -100.0f);
    patterns.push_back(block);
    // Largest magnitude present with both signs: the first one wins.
    for (int j = 0; j < 32; ++j) block[j] = static_cast<float>(j % 5) * 0.25f;
    block[3] = 3.0f;
    block[20] = -3.0f;
    patterns.push_back(block);
    block[3] = -3.0f;
    block[20] = 3.0f;
    patterns.push_back(block);
    // With m = -7.3, x * id + 8.5f for this x truncates to 3 when multiply and add round separately
    // (the reference) but to 2 when fused into one FMA (found by search).
    block.assign(32, 1.0f);
    block[0] = -7.3f;
    for (int j = 1; j < 32; j += 2) block[j] = -0x1.413334p+2f;
    patterns.push_back(block);
    // All zero, all negative zero, and values so small that 1 / d overflows to infinity.
    patterns.push_back(std::vector<float>(32, 0.0f));
    patterns.push_back(std::vector<float>(32, -0.0f));
    for (int j = 0; j < 32; ++j) block[j] = std::ldexp(static_cast<float>(j - 15), -130);
    patterns.push_back(block);
    // Non-finite values inside otherwise normal blocks.
    for (int j = 0; j < 32; ++j) block[j] = static_cast<float>(j) - 10.0f;
    block[7] = std::numeric_limits<float>::quiet_NaN();
    patterns.push_back(block);
    block[7] = std::numeric_limits<float>::infinity();
    patterns.push_back(block);
    block[7] = -std::numeric_limits<float>::infinity();
    patterns.push_back(block);
    patterns.push_back(std::vector<float>(32, std::numeric_limits<float>::quiet_NaN()));

    std::vector<float> values;
    values.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) values.push_back(patterns[static_cast<size_t>(i / 32) % patterns.size()][i % 32]);
    return values;
}

std::vector<float> rounding_sweep() {
    const uint32_t low_halves[] = {0x0000, 0x0001, 0x0fff, 0x1000, 0x1001, 0x7fff, 0x8000, 0x8001, 0xffff};
    std::vector<float> values;
    values.reserve(65536 * std::size(low_halves));
    for (uint32_t high = 0; high < 65536; ++high)
        for (const uint32_t low : low_halves) values.push_back(from_bits(high << 16 | low));
    return values;
}

std::vector<uint8_t> random_bytes(int64_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> bytes(static_cast<size_t>(n));
    for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(rng());
    return bytes;
}

} // namespace pxl::test
