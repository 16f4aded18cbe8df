// Weight layouts made at load time for faster matrix products. Q4_0 matrices are regrouped into
// block_q4_0x8 (quant_blocks.h): the same bytes, 8 rows side by side per block, so the kernels
// advance 8 output features per instruction and pay the float steps once per 8 rows instead of
// once per row. The copy has exactly the size of the original, which the loader then releases.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pxl::cpu {

// Bytes of the repacked copy of an n x k Q4_0 matrix (k a multiple of 32): n rounded up to a
// multiple of 8 rows.
size_t q4_0x8_bytes(int64_t n, int64_t k);

// src: n rows of k / 32 block_q4_0. dst (q4_0x8_bytes(n, k) bytes): for each group g of 8 rows, its
// k / 32 block_q4_0x8 in block order; rows past n have scale 0 and zero nibbles.
void repack_q4_0x8(const void* src, int64_t n, int64_t k, void* dst);

} // namespace pxl::cpu
