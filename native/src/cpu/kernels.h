// The CPU kernel table: one set of function pointers per instruction-set level, each set built in
// its own translation unit (scalar/, avx2/, avx512/) with that level's compiler flags. Callers
// fetch the table once and call through it; nothing else in the library may contain SIMD code.
//
// Adding a kernel family (GEMM, attention, norms, ...): declare a struct of row/tile functions
// here, give kernel_table a pointer to it, define one instance per level next to the existing
// convert tables, and extend the parity test that runs every level against scalar.
#pragma once

#include "pixellm.h"

#include <cstdint>

namespace pxl::cpu {

// Row conversions between f32 and the stored types. `n` is the number of values; for the
// quantized types it is a multiple of the block size (32). Results are bit-identical at every
// level (see half_float.h and scalar/convert_scalar.cpp for the reference rules).
struct convert_kernels {
    void (*f16_to_f32)(const void* src, float* dst, int64_t n);
    void (*bf16_to_f32)(const void* src, float* dst, int64_t n);
    void (*q8_0_to_f32)(const void* src, float* dst, int64_t n);
    void (*q4_0_to_f32)(const void* src, float* dst, int64_t n);
    void (*f32_to_f16)(const float* src, void* dst, int64_t n);
    void (*f32_to_bf16)(const float* src, void* dst, int64_t n);
    void (*f32_to_q8_0)(const float* src, void* dst, int64_t n);
    void (*f32_to_q4_0)(const float* src, void* dst, int64_t n);
};

// Activation rows quantized to Q8_0 (by the Q8_0 quantizer of convert_kernels) for the integer
// dot products, in a split layout so SIMD code reads values, scales and corrections with plain
// loads. Pointers address the first row; rows are k values apart (k / 32 for the per-block arrays).
struct q8_activations {
    const int8_t* qs;         // [n_rows][k] the int8 values q
    const float* d;           // [n_rows][k / 32] each block's f16 scale, widened (exact)
    const int32_t* q4_offset; // [n_rows][k / 32] -8 * (sum of the block's q): Q4_0's zero point
    int64_t k;                // values per row, a multiple of 32
};

// The most activation rows one dot call handles: each weight row is loaded once for all of them.
constexpr int k_dot_rows = 4;

// Dot products of one weight row with 1..k_dot_rows activation rows (matmul.h drives them):
//   y[r * y_stride] = sum_i w[i] * x_r[i],  r < n_rows.
// Each row's result is computed by the same instruction sequence whatever n_rows is, so a result
// never depends on how rows were grouped (or on the thread count). Float weights take f32 rows
// x [n_rows][x_stride] and any k. Quantized weights take q8_activations and compute, per 32-block,
// the exact int32 dot product of the weight values and q, times d_w * d_x in f32. w is 2-byte
// aligned (16-bit scales are read in place).
struct dot_kernels {
    // w [k] f32 / f16 / bf16
    void (*f32)(const void* w, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride);
    void (*f16)(const void* w, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride);
    void (*bf16)(const void* w, const float* x, int64_t x_stride, int n_rows, int64_t k, float* y, int64_t y_stride);
    // w [x.k / 32] blocks
    void (*q8_0)(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride);
    void (*q4_0)(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride);
    // w [x.k / 32] block_q8_0x8 / block_q4_0x8: 8 weight rows at once; y[r * y_stride + i] for weight
    // row i < n_cols. Unlike the row kernels above, every level computes exactly the scalar rule (the
    // int32 block dot product, times d_w * d_x, added in block order): bit-identical across levels,
    // and to q8_0 / q4_0 at the scalar level.
    void (*q8_0x8)(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols);
    void (*q4_0x8)(const void* w, const q8_activations& x, int n_rows, float* y, int64_t y_stride, int n_cols);
};

// Element-wise and row-wise f32 kernels of the decoder (spec §6.1). All arrays hold n floats.
struct row_kernels {
    // y = e^x. Accurate to 2 ulp (scalar: std::exp); inf / -inf / NaN map as std::exp does.
    void (*exp)(const float* x, float* y, int64_t n);
    // y = x * (1 / sqrt(mean(x^2) + eps)) * w, the mean in f32 (HF LlamaRMSNorm computes in f32).
    void (*rms_norm)(const float* x, const float* w, float* y, int64_t n, float eps);
    // y = silu(g) * u, silu(g) = g / (1 + e^-g).
    void (*swiglu)(const float* g, const float* u, float* y, int64_t n);
    // The largest value (-inf for n == 0; NaNs are skipped).
    float (*max)(const float* x, int64_t n);
    // x = e^(x - shift) in place; returns the sum of the results. -inf entries give 0.
    float (*exp_shifted_sum)(float* x, int64_t n, float shift);
    // y = x * s (y may be x).
    void (*scale)(const float* x, float s, float* y, int64_t n);
    // y = a + b (y may be a or b).
    void (*add)(const float* a, const float* b, float* y, int64_t n);
    // y = (x - mean) / sqrt(var + eps) * w + b, mean and biased variance in two f32 passes (as
    // torch's LayerNorm and SAM's LayerNorm2d). y may be x.
    void (*layer_norm)(const float* x, const float* w, const float* b, float* y, int64_t n, float eps);
    // y = x / 2 * (1 + erf(x / sqrt 2)), exact-erf GELU, computed as x / 2 * erfc(-x / sqrt 2) so
    // negative inputs keep their relative precision. y may be x.
    void (*gelu_erf)(const float* x, float* y, int64_t n);
    // y = x * sigmoid(1.702 x) = x / (1 + e^(-1.702 x)), CLIP's QuickGELU. y may be x.
    void (*quick_gelu)(const float* x, float* y, int64_t n);
    // y = max(x, 0); NaN stays NaN (as torch.relu). y may be x.
    void (*relu)(const float* x, float* y, int64_t n);
};

// The inner loops of fused attention (attention.h), over one tile of cached keys / values.
// K and V rows are head_size values of the cache type, `stride` elements apart.
struct attention_kernels {
    // s[j] = scale * dot(q, k_j), j < n_keys. q [head_size], k [n_keys][stride]
    void (*scores_f16)(const float* q, const void* k, int64_t stride, int n_keys, int head_size, float scale, float* s);
    void (*scores_f32)(const float* q, const void* k, int64_t stride, int n_keys, int head_size, float scale, float* s);
    // acc = acc * c + sum_j p[j] * v_j; p [n_keys], v [n_keys][stride], acc [head_size]
    void (*accumulate_f16)(float* acc, float c, const float* p, const void* v, int64_t stride, int n_keys, int head_size);
    void (*accumulate_f32)(float* acc, float c, const float* p, const void* v, int64_t stride, int n_keys, int head_size);
};

// Register-tiled micro-kernels of the compute-bound GEMM (gemm.h drives them): one call computes
// an mr x nr tile of C from packed panels of A and B over kc steps of the inner dimension,
//   c[r * ldc + j] (+)= sum_p a[p][r] * b[p][j],   r < mr, j < nr,
// with every element's sum in p order (one FMA / dot-pair chain per element), so a result never
// depends on where the tile sits or on the thread that runs it. accumulate = 0 overwrites c.
struct gemm_kernels {
    // F32: a [kc][mr], b [kc][nr] packed f32.
    int f32_mr;
    int f32_nr;
    void (*tile_f32)(const float* a, const float* b, int64_t kc, float* c, int64_t ldc, int accumulate);
    // BF16 products with f32 accumulation (AVX512_BF16 vdpbf16ps semantics: per pair of inner
    // steps, c += a_odd * b_odd, then c += a_even * b_even, each product exact in f32):
    // a [kc_pairs][mr][2], b [kc_pairs][nr][2] bf16 bits. Null (and mr = nr = 0) at levels
    // without a BF16 dot product; the scalar level is the reference.
    int bf16_mr;
    int bf16_nr;
    void (*tile_bf16)(const uint16_t* a, const uint16_t* b, int64_t kc_pairs, float* c, int64_t ldc, int accumulate);
};

struct kernel_table {
    pxl_cpu_isa isa;
    const convert_kernels* convert;
    const dot_kernels* dot;
    const row_kernels* row;
    const attention_kernels* attention;
    const gemm_kernels* gemm;
};

// The table of one level, or nullptr when this CPU (or this build) cannot run it. Lets tests run
// every supported level side by side in one process.
const kernel_table* kernels_for(pxl_cpu_isa isa);

// The table of active_isa() (cpu_features.h).
const kernel_table& active_kernels();

// One instance per level, each defined in that level's translation unit.
extern const convert_kernels scalar_convert_kernels;
extern const convert_kernels avx2_convert_kernels;
extern const convert_kernels avx512_convert_kernels;
extern const dot_kernels scalar_dot_kernels;
extern const dot_kernels avx2_dot_kernels;
extern const dot_kernels avx512_dot_kernels;
extern const row_kernels scalar_row_kernels;
extern const row_kernels avx2_row_kernels;
extern const row_kernels avx512_row_kernels;
extern const attention_kernels scalar_attention_kernels;
extern const attention_kernels avx2_attention_kernels;
extern const attention_kernels avx512_attention_kernels;
extern const gemm_kernels scalar_gemm_kernels;
extern const gemm_kernels avx2_gemm_kernels;
extern const gemm_kernels avx512_gemm_kernels;

} // namespace pxl::cpu
