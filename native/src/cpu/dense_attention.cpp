#include "cpu/dense_attention.h"

#include "core/error.h"
#include "cpu/row_ops.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace pxl::cpu {

size_t dense_attention_scratch_floats(int64_t n, int head_size) {
    return static_cast<size_t>(n * n + static_cast<int64_t>(head_size) * n);
}

size_t dense_attention_gemm_workspace_bytes(const kernel_table& kernels, gemm_precision precision, int64_t n,
                                            int head_size, int n_threads) {
    // Scores: k = head_size; outputs: k = n. Both have n rows of A.
    return gemm_workspace_bytes(kernels, precision, n, std::max<int64_t>(n, head_size), n_threads);
}

void dense_attention(const kernel_table& kernels, thread_pool& pool, const dense_attention_args& a, float* scratch,
                     void* gemm_workspace) {
    PXL_CHECK_ARG(a.n > 0 && a.n_head > 0 && a.head_size > 0 && a.ld >= static_cast<int64_t>(a.n_head) * a.head_size,
                  "dense_attention: bad shape (n %lld, %d heads of %d, ld %lld)", static_cast<long long>(a.n), a.n_head,
                  a.head_size, static_cast<long long>(a.ld));
    const int64_t n = a.n;
    float* scores = scratch;               // [n][n]
    float* v_t = scratch + n * n;          // [head_size][n]
    const float minus_inf = -std::numeric_limits<float>::infinity();
    for (int h = 0; h < a.n_head; ++h) {
        const int64_t column = static_cast<int64_t>(h) * a.head_size;
        // scores [n][n] = q_h k_h^T: k_h's rows are the GEMM's B rows.
        gemm(kernels, pool, a.precision, a.q + column, a.ld, n,
             {PXL_TENSOR_TYPE_F32, a.k + column, n, a.head_size, a.ld}, scores, n, gemm_workspace);
        pool.parallel_for(n, [&](int64_t begin, int64_t end, int) {
            for (int64_t i = begin; i < end; ++i) {
                float* row = scores + i * n;
                if (a.key_masked != nullptr)
                    for (int64_t word = 0; word < (n + 63) / 64; ++word)
                        for (uint64_t bits = a.key_masked[word]; bits != 0; bits &= bits - 1)
                            row[word * 64 + std::countr_zero(bits)] = minus_inf;
                softmax(kernels, row, n);
            }
        });
        // out_h [n][head_size] = scores v_h: B is v_h transposed, [head_size][n].
        pool.parallel_for(a.head_size, [&](int64_t begin, int64_t end, int) {
            for (int64_t d = begin; d < end; ++d)
                for (int64_t j = 0; j < n; ++j) v_t[d * n + j] = a.v[j * a.ld + column + d];
        });
        gemm(kernels, pool, a.precision, scores, n, n, {PXL_TENSOR_TYPE_F32, v_t, a.head_size, n, n}, a.out + column, a.ld,
             gemm_workspace);
    }
}

} // namespace pxl::cpu
