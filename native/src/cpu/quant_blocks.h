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

} // namespace pxl::cpu
