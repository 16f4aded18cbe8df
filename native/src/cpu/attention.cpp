#include "cpu/attention.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace pxl::cpu {

namespace {

// Keys per tile: 64 keys of one head's K and V at head size 128 in F16 are 32 KiB, about L1; every
// query of a task reuses the tile while it is there.
constexpr int k_key_tile = 64;

// Queries per task (fewer when there are many heads): their running max / sum, one per (query,
// head), live on the stack, at most k_max_pairs of each.
constexpr int64_t k_query_tile = 16;
constexpr int64_t k_max_pairs = 1024;

constexpr int k_max_head_size = 256;

bool key_visible(const attention_args& a, int64_t j, int32_t query_pos) {
    if (a.pos_k[j] > query_pos) return false;
    return a.key_masked == nullptr || ((a.key_masked[j / 64] >> (j % 64)) & 1u) == 0;
}

} // namespace

void attention(const kernel_table& kernels, thread_pool& pool, const attention_args& a) {
    PXL_CHECK_ARG(a.kv_type == PXL_TENSOR_TYPE_F16 || a.kv_type == PXL_TENSOR_TYPE_F32,
                  "attention: KV cache type %d is neither F16 nor F32", static_cast<int>(a.kv_type));
    PXL_CHECK_ARG(a.head_size > 0 && a.head_size <= k_max_head_size, "attention: head size %d is not in 1..%d",
                  a.head_size, k_max_head_size);
    PXL_CHECK_ARG(a.n_head > 0 && a.n_head_kv > 0 && a.n_head % a.n_head_kv == 0 && a.n_head <= k_max_pairs,
                  "attention: %d heads cannot share %d kv heads", a.n_head, a.n_head_kv);
    PXL_CHECK_ARG(a.n_q >= 0 && a.n_kv >= 0, "attention: negative length");

    const int group = a.n_head / a.n_head_kv;
    const bool f16 = a.kv_type == PXL_TENSOR_TYPE_F16;
    const auto scores = f16 ? kernels.attention->scores_f16 : kernels.attention->scores_f32;
    const auto accumulate = f16 ? kernels.attention->accumulate_f16 : kernels.attention->accumulate_f32;
    const row_kernels& row = *kernels.row;
    const int64_t element_bytes = f16 ? 2 : 4;
    const int64_t kv_stride = static_cast<int64_t>(a.n_head_kv) * a.head_size;  // elements between keys
    const float scale = 1.0f / std::sqrt(static_cast<float>(a.head_size));
    const auto* k_bytes = static_cast<const unsigned char*>(a.k);
    const auto* v_bytes = static_cast<const unsigned char*>(a.v);

    // A task is a tile of queries times a block of kv heads. Heads are split only when there are
    // too few query tiles to occupy the pool (decode): a task walks the cache key by key across
    // all of its heads, so the cache streams in order instead of one head's rows at a stride of
    // n_head_kv * head_size (a new page per key, which thrashes the TLB on long contexts). The
    // split never changes a result: each (query, head) sees the same operations in any task.
    const int64_t queries_per_task = std::max<int64_t>(1, std::min(k_query_tile, k_max_pairs / a.n_head));
    const int64_t query_tiles = (a.n_q + queries_per_task - 1) / queries_per_task;
    const int64_t wanted_blocks = query_tiles >= pool.size() ? 1 : (pool.size() + query_tiles - 1) / query_tiles;
    const int heads_per_block = static_cast<int>((a.n_head_kv + std::min<int64_t>(a.n_head_kv, wanted_blocks) - 1) /
                                                 std::min<int64_t>(a.n_head_kv, wanted_blocks));
    const int head_blocks = (a.n_head_kv + heads_per_block - 1) / heads_per_block;

    pool.parallel_for(query_tiles * head_blocks, [&](int64_t begin, int64_t end, int) {
        float running_max[k_max_pairs];
        float running_sum[k_max_pairs];
        float p[k_key_tile];
        for (int64_t task = begin; task < end; ++task) {
            const int64_t q_begin = task / head_blocks * queries_per_task;
            const int64_t q_end = std::min(a.n_q, q_begin + queries_per_task);
            const int kv_begin = static_cast<int>(task % head_blocks) * heads_per_block;
            const int kv_end = std::min(a.n_head_kv, kv_begin + heads_per_block);
            const int heads = (kv_end - kv_begin) * group;  // query heads of the task, consecutive
            const int first_head = kv_begin * group;
            // The output rows are the accumulators.
            for (int64_t i = q_begin; i < q_end; ++i) {
                for (int h = 0; h < heads; ++h) {
                    const int64_t pair = (i - q_begin) * heads + h;
                    running_max[pair] = -std::numeric_limits<float>::infinity();
                    running_sum[pair] = 0.0f;
                }
                std::memset(a.out + (i * a.n_head + first_head) * a.head_size, 0,
                            static_cast<size_t>(heads) * static_cast<size_t>(a.head_size) * sizeof(float));
            }
            for (int64_t j0 = 0; j0 < a.n_kv; j0 += k_key_tile) {
                const int n_keys = static_cast<int>(std::min<int64_t>(k_key_tile, a.n_kv - j0));
                for (int kv_head = kv_begin; kv_head < kv_end; ++kv_head) {
                    const int64_t tile_offset = (j0 * kv_stride + static_cast<int64_t>(kv_head) * a.head_size) * element_bytes;
                    for (int64_t i = q_begin; i < q_end; ++i) {
                        const int32_t query_pos = a.pos_q[i];
                        bool any_visible = false;
                        for (int j = 0; j < n_keys && !any_visible; ++j) any_visible = key_visible(a, j0 + j, query_pos);
                        if (!any_visible) continue;
                        for (int g = 0; g < group; ++g) {
                            const int head = kv_head * group + g;
                            const int64_t pair = (i - q_begin) * heads + (head - first_head);
                            const float* q = a.q + (i * a.n_head + head) * a.head_size;
                            scores(q, k_bytes + tile_offset, kv_stride, n_keys, a.head_size, scale, p);
                            for (int j = 0; j < n_keys; ++j)
                                if (!key_visible(a, j0 + j, query_pos)) p[j] = -std::numeric_limits<float>::infinity();
                            const float tile_max = row.max(p, n_keys);
                            const float new_max = std::max(running_max[pair], tile_max);
                            // e^(old - new) rescales what was accumulated under the old maximum;
                            // the first tile has nothing accumulated (old = -inf gives 0).
                            const float rescale = std::exp(running_max[pair] - new_max);
                            const float tile_sum = row.exp_shifted_sum(p, n_keys, new_max);
                            running_sum[pair] = running_sum[pair] * rescale + tile_sum;
                            running_max[pair] = new_max;
                            accumulate(a.out + (i * a.n_head + head) * a.head_size, rescale, p, v_bytes + tile_offset,
                                       kv_stride, n_keys, a.head_size);
                        }
                    }
                }
            }
            for (int64_t i = q_begin; i < q_end; ++i) {
                for (int h = 0; h < heads; ++h) {
                    const int64_t pair = (i - q_begin) * heads + h;
                    if (running_sum[pair] == 0.0f) continue;  // no visible key: the zeros stay
                    float* o = a.out + (i * a.n_head + first_head + h) * a.head_size;
                    row.scale(o, 1.0f / running_sum[pair], o, a.head_size);
                }
            }
        }
    });
}

} // namespace pxl::cpu
