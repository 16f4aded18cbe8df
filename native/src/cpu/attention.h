// Fused causal attention for the LLaMA decoder (spec §6.1, mask of §5.4), flash-attention style:
// one pass over tiles of cached keys with an online softmax (running max, running sum, rescaled
// accumulator), so the score matrix is never materialised and a 4k-token prefill works in
// cache-sized tiles. Grouped-query: query head h reads kv head h / (n_head / n_head_kv). The same
// call serves prefill (n_q = n_kv) and decode (n_q = 1).
#pragma once

#include "core/thread_pool.h"
#include "cpu/kernels.h"
#include "pixellm.h"

#include <cstdint>

namespace pxl::cpu {

struct attention_args {
    const float* q;              // [n_q][n_head][head_size], RoPE applied
    const int32_t* pos_q;        // [n_q] position of each query
    int64_t n_q;
    const void* k;               // [n_kv][n_head_kv][head_size] of kv_type, RoPE applied
    const void* v;               // [n_kv][n_head_kv][head_size] of kv_type
    const int32_t* pos_k;        // [n_kv] position of each cached key
    const uint64_t* key_masked;  // [(n_kv + 63) / 64] bit j % 64 of word j / 64 set: key j is hidden
                                 // from every query (image padding, §5.4); nullptr: none hidden
    int64_t n_kv;
    pxl_tensor_type kv_type;     // F16 (the default cache) or F32
    int n_head;
    int n_head_kv;               // divides n_head
    int head_size;               // 1..256 (multiples of 16 run fastest)
    float* out;                  // [n_q][n_head][head_size]
};

// out = softmax(q k^T / sqrt(head_size) over the visible keys) v, where key j is visible to query
// i iff pos_k[j] <= pos_q[i] and key j is not masked. A query with no visible key gets an output of
// zeros (the softmax of an empty set is undefined; zeros keep the residual stream unchanged and
// never produce NaN). Split over (query tile x kv head) on `pool`; each output row is computed by
// one thread in a fixed order, so results do not depend on the thread count. No allocation.
// Throws INVALID_ARGUMENT for a bad shape or cache type.
void attention(const kernel_table& kernels, thread_pool& pool, const attention_args& args);

} // namespace pxl::cpu
