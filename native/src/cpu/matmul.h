// Weight x activation products of the decoder's linear layers: Y[m][n] = sum_k X[m][k] * W[n][k].
// W is a GGUF tensor with dims [k, n] (n rows of k values, rows contiguous) of F32, F16, BF16, Q8_0
// or Q4_0; X and Y are f32. m = 1 is decode (memory-bound: W streams once, split over n); m > 1 is
// prefill (compute-bound: each block of W rows is reused across a block of X rows sized for L2).
// For Q8_0 / Q4_0 weights the X rows are first quantized to Q8_0 (the same rule as from_f32) and
// every 32-block is an exact int32 dot product (dot_kernels in kernels.h).
#pragma once

#include "core/thread_pool.h"
#include "cpu/kernels.h"
#include "pixellm.h"

#include <cstddef>
#include <cstdint>

namespace pxl::cpu {

// How W's bytes are arranged.
enum class weight_layout {
    rows,    // GGUF's: n rows of k values
    x8,      // Q8_0 / Q4_0 repacked by cpu::repack (repack.h): groups of 8 rows side by side
};

struct matmul_weights {
    pxl_tensor_type type;  // F32, F16, BF16, Q8_0 or Q4_0
    const void* data;      // W [n][k] in `type`, 2-byte aligned (GGUF aligns tensor data to 32)
    int64_t n;             // output features (rows of W)
    int64_t k;             // input features; a multiple of 32 for Q8_0 / Q4_0
    weight_layout layout = weight_layout::rows;
};

// True for the weight types matmul() handles.
bool is_matmul_type(int32_t type);

// Scratch bytes matmul() needs for m activation rows (0 for float weights). Size a workspace once
// for the largest m and k of a model and pass it to every call.
size_t matmul_workspace_bytes(pxl_tensor_type type, int64_t m, int64_t k);

// y [m][n] = x [m][k] * W^T. `workspace` holds at least matmul_workspace_bytes(w.type, m, w.k)
// bytes, 2-byte aligned (nullptr when that is 0). Work is split over `pool`; each output element is
// computed by one thread with a fixed summation order, so results are bit-identical for any thread
// count. No allocation. Throws INVALID_ARGUMENT for an unsupported type or shape.
void matmul(const kernel_table& kernels, thread_pool& pool, const matmul_weights& w, const float* x, int64_t m,
            float* y, void* workspace);

} // namespace pxl::cpu
