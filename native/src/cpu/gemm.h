// Compute-bound products of many activation rows with float weights (the vision tower, the
// projectors, the pixel decoder): C [m][n] = A [m][k] * B^T, B [n][k] in F32, F16 or BF16 (a weight
// matrix as GGUF stores it, or any row-major operand such as a head's keys). Unlike matmul.h,
// which streams W against a few rows through dot products (decode, prefill), this packs panels of
// A and B and runs register-tiled micro-kernels (kernels.h, gemm_kernels), so every loaded value
// feeds a dozen or more FMAs.
//
// Precision: F32 multiplies in f32 (B widened exactly); BF16 rounds A and B to bf16 (round to
// nearest even) and accumulates bf16 x bf16 products in f32 with vdpbf16ps, about twice the f32
// rate. Either way each element is summed in a fixed order over fixed blocks of k, so results are
// bit-identical for any thread count.
#pragma once

#include "core/thread_pool.h"
#include "cpu/kernels.h"
#include "pixellm.h"

#include <cstddef>
#include <cstdint>

namespace pxl::cpu {

enum class gemm_precision {
    f32,
    bf16, // needs a level with a BF16 tile (gemm_supports)
};

struct gemm_b {
    pxl_tensor_type type; // F32, F16 or BF16
    const void* data;     // row j at data + j * ld elements
    int64_t n;            // rows: output columns
    int64_t k;            // values per row
    int64_t ld;           // elements between rows (>= k)
};

// True when `kernels` has a micro-kernel for `precision` (BF16: the AVX-512 level and the scalar reference).
bool gemm_supports(const kernel_table& kernels, gemm_precision precision);

// Workspace bytes gemm() needs for up to m rows of A with up to k values on a pool of n_threads
// (the packed A, and one packed B panel per thread). Size it once for the largest product.
size_t gemm_workspace_bytes(const kernel_table& kernels, gemm_precision precision, int64_t m, int64_t k, int n_threads);

// c [m][ldc] = a [m][lda] * b^T over k, writing columns 0..n-1 of each C row. `workspace` holds
// gemm_workspace_bytes(kernels, precision, m, b.k, pool.size()) bytes, 64-byte aligned. No
// allocation. Throws INVALID_ARGUMENT for an unsupported type, precision or shape.
void gemm(const kernel_table& kernels, thread_pool& pool, gemm_precision precision, const float* a, int64_t lda, int64_t m,
          const gemm_b& b, float* c, int64_t ldc, void* workspace);

} // namespace pxl::cpu
