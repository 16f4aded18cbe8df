// AVX-512 GEMM micro-kernels (kernels.h, gemm_kernels): 12 x 32 tiles in 24 zmm accumulators. Per
// inner step (f32) or pair of steps (bf16) two B loads and twelve broadcasts of A feed 24 FMAs or
// vdpbf16ps, which keeps the FMA pipes busy while loads stay well under the ports' limit (on Zen 4
// a 512-bit FMA issues once per cycle, a vdpbf16ps does twice the work in the same slot).
// Only intrinsics and internal-linkage helpers here (see avx2/convert_avx2.cpp for why).
#include "cpu/kernels.h"
#include "cpu/x86_intrinsics.h"

#include <cstring>

namespace pxl::cpu {

namespace {

constexpr int k_mr = 12;
constexpr int k_nr = 32;

PXL_SIMD_INLINE void store_tile(__m512 (&acc)[k_mr][2], float* c, int64_t ldc, int accumulate) {
    for (int r = 0; r < k_mr; ++r) {
        float* row = c + r * ldc;
        if (accumulate) {
            acc[r][0] = _mm512_add_ps(acc[r][0], _mm512_loadu_ps(row));
            acc[r][1] = _mm512_add_ps(acc[r][1], _mm512_loadu_ps(row + 16));
        }
        _mm512_storeu_ps(row, acc[r][0]);
        _mm512_storeu_ps(row + 16, acc[r][1]);
    }
}

void tile_f32(const float* a, const float* b, int64_t kc, float* c, int64_t ldc, int accumulate) {
    __m512 acc[k_mr][2];
    for (int r = 0; r < k_mr; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (int64_t p = 0; p < kc; ++p) {
        const __m512 b0 = _mm512_loadu_ps(b + p * k_nr);
        const __m512 b1 = _mm512_loadu_ps(b + p * k_nr + 16);
#pragma GCC unroll 12
        for (int r = 0; r < k_mr; ++r) {
            const __m512 av = _mm512_set1_ps(a[p * k_mr + r]);
            acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
        }
    }
    store_tile(acc, c, ldc, accumulate);
}

void tile_bf16(const uint16_t* a, const uint16_t* b, int64_t kc_pairs, float* c, int64_t ldc, int accumulate) {
    __m512 acc[k_mr][2];
    for (int r = 0; r < k_mr; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (int64_t p = 0; p < kc_pairs; ++p) {
        const __m512bh b0 = (__m512bh)_mm512_loadu_si512(b + p * k_nr * 2);
        const __m512bh b1 = (__m512bh)_mm512_loadu_si512(b + p * k_nr * 2 + 32);
#pragma GCC unroll 12
        for (int r = 0; r < k_mr; ++r) {
            int32_t pair;  // one (even, odd) pair of A's bf16 values, broadcast to every lane
            std::memcpy(&pair, a + (p * k_mr + r) * 2, sizeof pair);
            const __m512bh av = (__m512bh)_mm512_set1_epi32(pair);
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], av, b0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], av, b1);
        }
    }
    store_tile(acc, c, ldc, accumulate);
}

} // namespace

const gemm_kernels avx512_gemm_kernels = {k_mr, k_nr, tile_f32, k_mr, k_nr, tile_bf16};

} // namespace pxl::cpu
