#include "cpu/row_ops.h"

#include <algorithm>
#include <cmath>

namespace pxl::cpu {

namespace {

// Element-wise work is split into chunks of this many values (a multiple of every vector width,
// so only the last chunk has a tail), large enough to amortise waking a thread.
constexpr int64_t k_chunk = 16 * 1024;

// Waking the pool costs tens of microseconds, more than one chunk of work (decode's rows), so a
// single chunk runs on the calling thread.
template <class Body>
void for_each_chunk(thread_pool& pool, int64_t count, Body body) {
    if (count <= k_chunk) {
        body(0, count);
        return;
    }
    pool.parallel_for((count + k_chunk - 1) / k_chunk, [&](int64_t begin, int64_t end, int) {
        for (int64_t c = begin; c < end; ++c) body(c * k_chunk, std::min(count, (c + 1) * k_chunk) - c * k_chunk);
    });
}

// Row-wise work: rows split over the pool, each row computed whole by one thread.
template <class Body>
void for_each_row(thread_pool& pool, int64_t n_rows, int64_t n, Body body) {
    auto rows = [&](int64_t begin, int64_t end, int) {
        for (int64_t r = begin; r < end; ++r) body(r);
    };
    if (n_rows * n <= k_chunk)
        rows(0, n_rows, 0);  // one chunk of work: cheaper than waking the pool
    else
        pool.parallel_for(n_rows, rows);
}

} // namespace

void rms_norm(const kernel_table& kernels, thread_pool& pool, const float* x, const float* w, float* y, int64_t n_rows,
              int64_t n, float eps) {
    for_each_row(pool, n_rows, n, [&](int64_t r) { kernels.row->rms_norm(x + r * n, w, y + r * n, n, eps); });
}

void layer_norm(const kernel_table& kernels, thread_pool& pool, const float* x, const float* w, const float* b,
                float* y, int64_t n_rows, int64_t n, float eps) {
    for_each_row(pool, n_rows, n, [&](int64_t r) { kernels.row->layer_norm(x + r * n, w, b, y + r * n, n, eps); });
}

void add_bias(const kernel_table& kernels, thread_pool& pool, float* y, const float* bias, int64_t n_rows, int64_t n) {
    for_each_row(pool, n_rows, n, [&](int64_t r) { kernels.row->add(y + r * n, bias, y + r * n, n); });
}

void gelu_erf(const kernel_table& kernels, thread_pool& pool, const float* x, float* y, int64_t count) {
    for_each_chunk(pool, count, [&](int64_t offset, int64_t n) { kernels.row->gelu_erf(x + offset, y + offset, n); });
}

void quick_gelu(const kernel_table& kernels, thread_pool& pool, const float* x, float* y, int64_t count) {
    for_each_chunk(pool, count, [&](int64_t offset, int64_t n) { kernels.row->quick_gelu(x + offset, y + offset, n); });
}

void relu(const kernel_table& kernels, thread_pool& pool, const float* x, float* y, int64_t count) {
    for_each_chunk(pool, count, [&](int64_t offset, int64_t n) { kernels.row->relu(x + offset, y + offset, n); });
}

void swiglu(const kernel_table& kernels, thread_pool& pool, const float* g, const float* u, float* y, int64_t count) {
    for_each_chunk(pool, count, [&](int64_t offset, int64_t n) { kernels.row->swiglu(g + offset, u + offset, y + offset, n); });
}

void add(const kernel_table& kernels, thread_pool& pool, const float* a, const float* b, float* y, int64_t count) {
    for_each_chunk(pool, count, [&](int64_t offset, int64_t n) { kernels.row->add(a + offset, b + offset, y + offset, n); });
}

void softmax(const kernel_table& kernels, float* x, int64_t n) {
    const float max = kernels.row->max(x, n);
    if (std::isinf(max) && max < 0.0f) {
        std::fill(x, x + n, 0.0f);
        return;
    }
    const float sum = kernels.row->exp_shifted_sum(x, n, max);
    kernels.row->scale(x, 1.0f / sum, x, n);
}

} // namespace pxl::cpu
