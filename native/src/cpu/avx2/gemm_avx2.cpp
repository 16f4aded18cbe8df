// AVX2 GEMM micro-kernel (kernels.h, gemm_kernels): a 6 x 16 f32 tile in 12 ymm accumulators,
// per inner step two B loads and six broadcasts of A feeding twelve FMAs (16 registers in all).
// AVX2 has no BF16 dot product, so this level offers no BF16 tile.
// Only intrinsics and internal-linkage helpers here (see avx2/convert_avx2.cpp for why).
#include "cpu/kernels.h"
#include "cpu/x86_intrinsics.h"

namespace pxl::cpu {

namespace {

constexpr int k_mr = 6;
constexpr int k_nr = 16;

void tile_f32(const float* a, const float* b, int64_t kc, float* c, int64_t ldc, int accumulate) {
    __m256 acc[k_mr][2];
    for (int r = 0; r < k_mr; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    for (int64_t p = 0; p < kc; ++p) {
        const __m256 b0 = _mm256_loadu_ps(b + p * k_nr);
        const __m256 b1 = _mm256_loadu_ps(b + p * k_nr + 8);
#pragma GCC unroll 6
        for (int r = 0; r < k_mr; ++r) {
            const __m256 av = _mm256_broadcast_ss(a + p * k_mr + r);
            acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < k_mr; ++r) {
        float* row = c + r * ldc;
        if (accumulate) {
            acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_loadu_ps(row));
            acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_loadu_ps(row + 8));
        }
        _mm256_storeu_ps(row, acc[r][0]);
        _mm256_storeu_ps(row + 8, acc[r][1]);
    }
}

} // namespace

const gemm_kernels avx2_gemm_kernels = {k_mr, k_nr, tile_f32, 0, 0, nullptr};

} // namespace pxl::cpu
