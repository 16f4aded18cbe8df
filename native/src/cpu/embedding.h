// Token embedding lookup: the rows of an embedding table of any matmul weight type, as f32.
#pragma once

#include "cpu/kernels.h"
#include "pixellm.h"

#include <cstdint>

namespace pxl::cpu {

// out [n_ids][n_embd] = table [n_vocab][n_embd] rows ids [n_ids], dequantized with the convert
// kernels of `kernels` (bit-identical at every level). `type` is F32, F16, BF16, Q8_0 or Q4_0;
// table is 2-byte aligned; n_embd is a multiple of 32 for the quantized types. An id outside
// [0, n_vocab) throws INVALID_ARGUMENT before anything is written.
void embedding_lookup(const kernel_table& kernels, pxl_tensor_type type, const void* table, int64_t n_vocab,
                      int64_t n_embd, const int32_t* ids, int64_t n_ids, float* out);

} // namespace pxl::cpu
