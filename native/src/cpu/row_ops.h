// Row-wise operations of the decoder (spec §6.1), the vision tower and the pixel decoder (§5, §7-8) over whole activation matrices, split over the
// thread pool when there is more than one chunk (16 Ki values) of work; less, a decode step's rows,
// runs on the calling thread, which is cheaper than waking the pool. Each row (or element) is
// computed by one thread with the kernel of `kernels`, so results do not depend on the thread
// count. No allocation.
#pragma once

#include "core/thread_pool.h"
#include "cpu/kernels.h"

#include <cstdint>

namespace pxl::cpu {

// y [n_rows][n] = RMSNorm(x [n_rows][n]) * w [n]: x / sqrt(mean(x^2) + eps), then times w, as HF
// LlamaRMSNorm does in f32. The mean stays in f32 (the reference's own precision; for n = 4096
// the f32 sum of squares is good to ~1e-6 relative, far below the quantized weights' error).
// y may be x.
void rms_norm(const kernel_table& kernels, thread_pool& pool, const float* x, const float* w, float* y, int64_t n_rows,
              int64_t n, float eps);

// y [count] = silu(g) * u for g, u [count]: the LLaMA MLP's gate. y may be g or u.
void swiglu(const kernel_table& kernels, thread_pool& pool, const float* g, const float* u, float* y, int64_t count);

// y [count] = a + b: the residual adds. y may be a or b.
void add(const kernel_table& kernels, thread_pool& pool, const float* a, const float* b, float* y, int64_t count);

// y [n_rows][n] = LayerNorm(x [n_rows][n]) * w [n] + b [n], two-pass mean and variance in f32
// (torch's LayerNorm; LayerNorm2d over channels-last rows). y may be x.
void layer_norm(const kernel_table& kernels, thread_pool& pool, const float* x, const float* w, const float* b,
                float* y, int64_t n_rows, int64_t n, float eps);

// y [count] = GELU(x) with the exact erf (torch's default nn.GELU). y may be x.
void gelu_erf(const kernel_table& kernels, thread_pool& pool, const float* x, float* y, int64_t count);

// y [count] = x * sigmoid(1.702 x) (CLIP's QuickGELU). y may be x.
void quick_gelu(const kernel_table& kernels, thread_pool& pool, const float* x, float* y, int64_t count);

// y [count] = max(x, 0). y may be x.
void relu(const kernel_table& kernels, thread_pool& pool, const float* x, float* y, int64_t count);

// y [n_rows][n] += bias [n]: the bias of a linear layer after a bias-free matmul.
void add_bias(const kernel_table& kernels, thread_pool& pool, float* y, const float* bias, int64_t n_rows, int64_t n);

// x [n] = softmax(x) in place, max-subtracted, in f32. -inf entries get 0; a row with no value
// above -inf becomes all zeros (nothing to attend to), never NaN.
void softmax(const kernel_table& kernels, float* x, int64_t n);

} // namespace pxl::cpu
