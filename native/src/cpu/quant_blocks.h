// Block layouts of the quantized types, as GGUF stores them (little-endian, no padding).
#pragma once

#include <cstdint>

namespace pxl::cpu {

constexpr int k_qk = 32;  // values per block of Q8_0 and Q4_0

// Q8_0: value = qs[i] * d.
struct block_q8_0 {
    uint16_t d;  // f16 scale
    int8_t qs[k_qk];
};
static_assert(sizeof(block_q8_0) == 34);

// Q4_0: value = (nibble - 8) * d; byte j holds value j in its low nibble and value j + 16 in its
// high nibble.
struct block_q4_0 {
    uint16_t d;  // f16 scale
    uint8_t qs[k_qk / 2];
};
static_assert(sizeof(block_q4_0) == 18);

// Q4_0 repacked for matrix products (repack.h): the same 32-value block of 8 consecutive weight
// rows side by side, so one SIMD lane holds one row and a single integer dot-product instruction
// advances 8 rows at once. d[i] is row i's scale. qs is four 32-byte chunks; bytes 4i..4i+3 of
// chunk c are row i's original qs[4c..4c+3], so their low nibbles are values 4c..4c+3 and their
// high nibbles values 16+4c..16+4c+3 (the nibble pairing of block_q4_0, unchanged).
constexpr int k_repack_rows = 8;
struct block_q4_0x8 {
    uint16_t d[k_repack_rows];
    uint8_t qs[k_repack_rows * k_qk / 2];
};
static_assert(sizeof(block_q4_0x8) == k_repack_rows * sizeof(block_q4_0));

// Q8_0 repacked the same way: eight 32-byte chunks; bytes 4i..4i+3 of chunk c are row i's
// qs[4c..4c+3] XOR 0x80, i.e. value + 128 as an unsigned byte, the form unsigned x signed
// dot-product instructions take (the 128 * sum(q) this adds is taken off again, exactly).
struct block_q8_0x8 {
    uint16_t d[k_repack_rows];
    uint8_t qs[k_repack_rows * k_qk];
};
static_assert(sizeof(block_q8_0x8) == k_repack_rows * sizeof(block_q8_0));

} // namespace pxl::cpu
