#include "cpu/rope.h"

#include "core/error.h"

#include <cmath>

namespace pxl::cpu {

namespace {

constexpr int k_max_head_size = 256;

constexpr int64_t k_inline_rows = 4;

} // namespace

void rope_norm(thread_pool& pool, float* x, int64_t n_rows, int n_head, int head_size, const int32_t* pos, float base) {
    PXL_CHECK_ARG(head_size > 0 && head_size % 2 == 0 && head_size <= k_max_head_size,
                  "rope: head size %d is not even and at most %d", head_size, k_max_head_size);
    PXL_CHECK_ARG(n_head > 0 && n_rows >= 0, "rope: bad shape");
    const int pairs = head_size / 2;
    float inv_freq[k_max_head_size / 2];
    for (int i = 0; i < pairs; ++i)
        inv_freq[i] = static_cast<float>(std::pow(static_cast<double>(base), -2.0 * i / head_size));
    auto rotate_rows = [&](int64_t begin, int64_t end, int) {
        float cos_table[k_max_head_size / 2];
        float sin_table[k_max_head_size / 2];
        for (int64_t row = begin; row < end; ++row) {
            const float p = static_cast<float>(pos[row]);
            for (int i = 0; i < pairs; ++i) {
                const float angle = p * inv_freq[i];
                cos_table[i] = std::cos(angle);
                sin_table[i] = std::sin(angle);
            }
            float* heads = x + row * n_head * head_size;
            for (int h = 0; h < n_head; ++h) {
                float* v = heads + h * head_size;
                for (int i = 0; i < pairs; ++i) {
                    const float x0 = v[2 * i];
                    const float x1 = v[2 * i + 1];
                    v[2 * i] = x0 * cos_table[i] - x1 * sin_table[i];
                    v[2 * i + 1] = x0 * sin_table[i] + x1 * cos_table[i];
                }
            }
        }
    };
    // A decode step's row or two is less work than waking the pool's threads.
    if (n_rows <= k_inline_rows)
        rotate_rows(0, n_rows, 0);
    else
        pool.parallel_for(n_rows, rotate_rows);
}

} // namespace pxl::cpu
