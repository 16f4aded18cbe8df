// Deterministic inputs for the conversion tests.
#pragma once

#include <cstdint>
#include <vector>

namespace pxl::test {

float from_bits(uint32_t bits);
uint32_t to_bits(float value);

// Normal values with a per-32-block scale from 1e-4 to 1e4, about one in ten exactly zero.
std::vector<float> gaussian_floats(int64_t n, uint32_t seed);

// Random finite bit patterns: every exponent, subnormals, huge and tiny values, both signs.
std::vector<float> wide_floats(int64_t n, uint32_t seed);

// Mostly random values with NaNs, infinities, signed zeros, subnormals, f16 / bf16 rounding ties
// and overflow edges mixed in.
std::vector<float> special_floats(int64_t n, uint32_t seed);

// 32-value blocks built so the quantizers meet exact rounding ties, clamped ends, sign ties of the
// largest magnitude, all-zero blocks, blocks too small for 1 / d, and non-finite values.
std::vector<float> edge_blocks(int64_t n);

// Every high half with low halves just below, at and above the f16 and bf16 rounding ties.
std::vector<float> rounding_sweep();

std::vector<uint8_t> random_bytes(int64_t n, uint32_t seed);

} // namespace pxl::test
