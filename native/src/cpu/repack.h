// Weight layouts made at load time for faster matrix products. Q8_0 and Q4_0 matrices are regrouped
// into block_q8_0x8 / block_q4_0x8 (quant_blocks.h): the same values, 8 rows side by side per block,
// so the kernels advance 8 output features per instruction and pay the float steps once per 8 rows
// instead of once per row. A copy has exactly the size of the original, which the loader releases.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pxl::cpu {

// True for the types that have a repacked layout (Q8_0, Q4_0).
bool is_repackable(int32_t type);

// Bytes of the repacked copy of an n x k matrix of `type` (k a multiple of 32): n rounded up to a
// multiple of 8 rows. INVALID_ARGUMENT for another type or a bad shape.
size_t repacked_bytes(int32_t type, int64_t n, int64_t k);

// src: n rows of k / 32 blocks of `type`. dst (repacked_bytes bytes): for each group g of 8 rows,
// its k / 32 repacked blocks in block order; rows past n have scale 0 (their values are unused).
void repack(int32_t type, const void* src, int64_t n, int64_t k, void* dst);

} // namespace pxl::cpu
