#include "cpu/matmul.h"

#include "core/error.h"
#include "core/tensor_type.h"
#include "cpu/half_float.h"
#include "cpu/quant_blocks.h"

#include <algorithm>
#include <cstring>

namespace pxl::cpu {

namespace {

// Rows of W per task: small enough to balance threads on decode, large enough that a task's
// scheduling cost is noise (16 rows of a 4096-wide Q4_0 matrix are 36 KiB).
constexpr int64_t k_rows_per_task = 16;
static_assert(k_rows_per_task % k_repack_rows == 0, "tasks take whole groups of repacked rows");

// Prefill keeps a block of X rows in L2 while W rows stream past it from L1.
constexpr int64_t k_x_block_bytes = 256 * 1024;

bool is_quantized(pxl_tensor_type type) { return type == PXL_TENSOR_TYPE_Q8_0 || type == PXL_TENSOR_TYPE_Q4_0; }

// Blocks quantized per step into a stack buffer (2 KiB), then unpacked.
constexpr int64_t k_quantize_blocks = 64;

// Activations up to this many values are quantized on the calling thread.
constexpr int64_t k_inline_quantize_values = 32 * 1024;

// x [m][k] -> Q8_0 with the level's quantizer (bit-identical to the scalar reference), unpacked into
// the q8_activations layout in `workspace` (see matmul_workspace_bytes).
q8_activations quantize_activations(const kernel_table& kernels, thread_pool& pool, const float* x, int64_t m,
                                    int64_t k, void* workspace) {
    const int64_t blocks = k / k_qk;
    auto* qs = static_cast<int8_t*>(workspace);
    auto* d = reinterpret_cast<float*>(qs + m * k);
    auto* offset = reinterpret_cast<int32_t*>(d + m * blocks);
    auto quantize_rows = [&](int64_t begin, int64_t end, int) {
        block_q8_0 chunk[k_quantize_blocks];
        for (int64_t r = begin; r < end; ++r) {
            for (int64_t b0 = 0; b0 < blocks; b0 += k_quantize_blocks) {
                const int64_t n_blocks = std::min(k_quantize_blocks, blocks - b0);
                kernels.convert->f32_to_q8_0(x + r * k + b0 * k_qk, chunk, n_blocks * k_qk);
                for (int64_t b = 0; b < n_blocks; ++b) {
                    const int64_t at = r * blocks + b0 + b;
                    int32_t sum = 0;
                    for (int j = 0; j < k_qk; ++j) sum += chunk[b].qs[j];
                    std::memcpy(qs + at * k_qk, chunk[b].qs, k_qk);
                    d[at] = f16_to_f32(chunk[b].d);
                    offset[at] = -8 * sum;
                }
            }
        }
    };
    // A few rows (decode) take microseconds, less than waking the pool's threads.
    if (m * k <= k_inline_quantize_values)
        quantize_rows(0, m, 0);
    else
        pool.parallel_for(m, quantize_rows);
    return {qs, d, offset, k};
}

// The m_block rows of X per task: all of them for a few rows, else as many as fit the L2 budget,
// in whole k_dot_rows.
int64_t x_rows_per_block(int64_t m, int64_t x_row_bytes) {
    return m <= k_dot_rows ? m : std::max<int64_t>(k_dot_rows, k_x_block_bytes / x_row_bytes / k_dot_rows * k_dot_rows);
}

// Repacked weights: tasks of k_rows_per_task rows (whole groups of 8) x a block of X rows.
void matmul_x8(const dot_kernels& dot, thread_pool& pool, const matmul_weights& w, const q8_activations& xq,
                   int64_t m, float* y) {
    const int64_t k = w.k;
    const int64_t n = w.n;
    const int64_t x_blocks = k / k_qk;
    const bool q8 = w.type == PXL_TENSOR_TYPE_Q8_0;
    const int64_t group_bytes = x_blocks * static_cast<int64_t>(q8 ? sizeof(block_q8_0x8) : sizeof(block_q4_0x8));
    const auto kernel = q8 ? dot.q8_0x8 : dot.q4_0x8;
    const int64_t groups = (n + k_repack_rows - 1) / k_repack_rows;
    constexpr int64_t groups_per_task = k_rows_per_task / k_repack_rows;
    const int64_t m_block = x_rows_per_block(m, k + x_blocks * 8);
    const int64_t m_blocks = (m + m_block - 1) / m_block;
    const int64_t n_chunks = (groups + groups_per_task - 1) / groups_per_task;
    const auto* w_bytes = static_cast<const unsigned char*>(w.data);
    pool.parallel_for(n_chunks * m_blocks, [&](int64_t begin, int64_t end, int) {
        for (int64_t task = begin; task < end; ++task) {
            const int64_t group_begin = task / m_blocks * groups_per_task;
            const int64_t group_end = std::min(groups, group_begin + groups_per_task);
            const int64_t x_begin = task % m_blocks * m_block;
            const int64_t x_end = std::min(m, x_begin + m_block);
            for (int64_t g = group_begin; g < group_end; ++g) {
                const int cols = static_cast<int>(std::min<int64_t>(k_repack_rows, n - g * k_repack_rows));
                for (int64_t r = x_begin; r < x_end; r += k_dot_rows) {
                    const int rows = static_cast<int>(std::min<int64_t>(k_dot_rows, x_end - r));
                    kernel(w_bytes + g * group_bytes, {xq.qs + r * k, xq.d + r * x_blocks, xq.q4_offset + r * x_blocks, k},
                               rows, y + r * n + g * k_repack_rows, n, cols);
                }
            }
        }
    });
}

} // namespace

bool is_matmul_type(int32_t type) {
    switch (type) {
    case PXL_TENSOR_TYPE_F32:
    case PXL_TENSOR_TYPE_F16:
    case PXL_TENSOR_TYPE_BF16:
    case PXL_TENSOR_TYPE_Q8_0:
    case PXL_TENSOR_TYPE_Q4_0: return true;
    default: return false;
    }
}

size_t matmul_workspace_bytes(pxl_tensor_type type, int64_t m, int64_t k) {
    if (!is_quantized(type)) return 0;
    // q8_activations: k int8 values, then a float scale and an int32 offset per block, per row.
    return static_cast<size_t>(m * (k + k / k_qk * 8));
}

void matmul(const kernel_table& kernels, thread_pool& pool, const matmul_weights& w, const float* x, int64_t m,
            float* y, void* workspace) {
    PXL_CHECK_ARG(is_matmul_type(w.type), "matmul: unsupported weight type %d", static_cast<int>(w.type));
    PXL_CHECK_ARG(w.n > 0 && w.k > 0 && m > 0, "matmul: empty shape (m %lld, n %lld, k %lld)", static_cast<long long>(m),
                  static_cast<long long>(w.n), static_cast<long long>(w.k));
    const bool quantized = is_quantized(w.type);
    PXL_CHECK_ARG(!quantized || w.k % k_qk == 0, "matmul: k %lld is not a multiple of 32", static_cast<long long>(w.k));
    PXL_CHECK_ARG(!quantized || workspace != nullptr, "matmul: quantized weights need a workspace");

    const bool repacked = w.layout == weight_layout::x8;
    PXL_CHECK_ARG(!repacked || quantized, "matmul: the x8 layout holds Q8_0 or Q4_0 weights, not type %d",
                  static_cast<int>(w.type));
    const int64_t k = w.k;
    const int64_t n = w.n;
    const int64_t x_blocks = k / k_qk;  // Q8_0 blocks per quantized X row
    q8_activations xq{};
    if (quantized) xq = quantize_activations(kernels, pool, x, m, k, workspace);

    if (repacked) {
        matmul_x8(*kernels.dot, pool, w, xq, m, y);
        return;
    }

    const tensor_type_traits& traits = *find_tensor_type(w.type);
    const int64_t w_row_bytes = k / traits.block_elements * traits.block_bytes;
    const auto* w_bytes = static_cast<const unsigned char*>(w.data);
    const int64_t x_row_bytes = quantized ? k + x_blocks * 8 : k * 4;
    const int64_t m_block = x_rows_per_block(m, x_row_bytes);
    const int64_t m_blocks = (m + m_block - 1) / m_block;
    const int64_t n_chunks = (n + k_rows_per_task - 1) / k_rows_per_task;
    const dot_kernels& dot = *kernels.dot;
    const auto float_dot = w.type == PXL_TENSOR_TYPE_F32 ? dot.f32 : w.type == PXL_TENSOR_TYPE_F16 ? dot.f16 : dot.bf16;
    const auto quant_dot = w.type == PXL_TENSOR_TYPE_Q8_0 ? dot.q8_0 : dot.q4_0;

    // Tasks run n-chunk major, so the consecutive tasks of one thread reuse the same W rows over
    // successive X blocks. Which thread computes an element never changes its value: the dot
    // kernels give each row the same instruction sequence however rows are grouped.
    pool.parallel_for(n_chunks * m_blocks, [&](int64_t begin, int64_t end, int) {
        for (int64_t task = begin; task < end; ++task) {
            const int64_t row_begin = task / m_blocks * k_rows_per_task;
            const int64_t row_end = std::min(n, row_begin + k_rows_per_task);
            const int64_t x_begin = task % m_blocks * m_block;
            const int64_t x_end = std::min(m, x_begin + m_block);
            for (int64_t row = row_begin; row < row_end; ++row) {
                const void* w_row = w_bytes + row * w_row_bytes;
                for (int64_t r = x_begin; r < x_end; r += k_dot_rows) {
                    const int rows = static_cast<int>(std::min<int64_t>(k_dot_rows, x_end - r));
                    if (quantized)
                        quant_dot(w_row, {xq.qs + r * k, xq.d + r * x_blocks, xq.q4_offset + r * x_blocks, k}, rows,
                                  y + r * n + row, n);
                    else
                        float_dot(w_row, x + r * k, k, rows, k, y + r * n + row, n);
                }
            }
        }
    });
}

} // namespace pxl::cpu
