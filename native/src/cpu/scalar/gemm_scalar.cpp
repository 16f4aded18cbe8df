// Scalar GEMM micro-kernels (kernels.h, gemm_kernels): the reference the SIMD levels are tested
// against. The BF16 tile spells out vdpbf16ps: each bf16 x bf16 product is exact in f32 (8-bit
// significands), and the odd element of a pair is added before the even one, one rounding each.
#include "core/compiler.h"
#include "cpu/half_float.h"
#include "cpu/kernels.h"

namespace pxl::cpu {

namespace {

constexpr int k_mr = 4;
constexpr int k_nr = 8;

void tile_f32(const float* a, const float* b, int64_t kc, float* c, int64_t ldc, int accumulate) {
    for (int r = 0; r < k_mr; ++r) {
        for (int j = 0; j < k_nr; ++j) {
            float sum = accumulate ? c[r * ldc + j] : 0.0f;
            for (int64_t p = 0; p < kc; ++p) sum += a[p * k_mr + r] * b[p * k_nr + j];
            c[r * ldc + j] = sum;
        }
    }
}

PXL_NO_LOOP_VECTORIZE void tile_bf16(const uint16_t* a, const uint16_t* b, int64_t kc_pairs, float* c, int64_t ldc, int accumulate) {
    for (int r = 0; r < k_mr; ++r) {
        for (int j = 0; j < k_nr; ++j) {
            float sum = accumulate ? c[r * ldc + j] : 0.0f;
            for (int64_t p = 0; p < kc_pairs; ++p) {
                const uint16_t* ap = a + (p * k_mr + r) * 2;
                const uint16_t* bp = b + (p * k_nr + j) * 2;
                sum += bf16_to_f32(ap[1]) * bf16_to_f32(bp[1]);
                sum += bf16_to_f32(ap[0]) * bf16_to_f32(bp[0]);
            }
            c[r * ldc + j] = sum;
        }
    }
}

} // namespace

const gemm_kernels scalar_gemm_kernels = {k_mr, k_nr, tile_f32, k_mr, k_nr, tile_bf16};

} // namespace pxl::cpu
