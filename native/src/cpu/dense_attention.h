// Non-causal attention over one whole sequence (the vision tower, spec §3.3): per head, the scores
// S = q k^T as one GEMM, padded keys set to -inf, a row softmax, then S v as a second GEMM. Where
// every query sees every key and the sequence fits in memory (1025 positions: a 4 MiB score
// matrix), this runs at GEMM speed, several times the fused online-softmax kernel of attention.h,
// whose dot-product loops suit decoding against a KV cache.
#pragma once

#include "core/thread_pool.h"
#include "cpu/gemm.h"
#include "cpu/kernels.h"

#include <cstddef>
#include <cstdint>

namespace pxl::cpu {

struct dense_attention_args {
    const float* q;              // [n][ld]: head h at columns h * head_size, already scaled by 1/sqrt(head_size)
    const float* k;              // [n][ld]
    const float* v;              // [n][ld]
    int64_t n;                   // positions (queries = keys)
    int n_head;
    int head_size;
    int64_t ld;                  // floats between rows of q, k, v and out (>= n_head * head_size)
    const uint64_t* key_masked;  // [(n + 63) / 64] bit j set: key j hidden from every query; nullptr: none
    float* out;                  // [n][ld]: columns h * head_size .. of head h
    gemm_precision precision;    // of both products; the softmax is f32
};

// Scratch floats the call needs besides the GEMM workspace: the scores [n][n] and one head's
// values transposed [head_size][n].
size_t dense_attention_scratch_floats(int64_t n, int head_size);

// The GEMM workspace the call needs (pass the larger of this and other users' needs).
size_t dense_attention_gemm_workspace_bytes(const kernel_table& kernels, gemm_precision precision, int64_t n,
                                            int head_size, int n_threads);

// out = softmax(q k^T over the visible keys) v per head. A query with no visible key gets zeros.
// `scratch` holds dense_attention_scratch_floats(n, head_size) floats, `gemm_workspace`
// dense_attention_gemm_workspace_bytes(...) bytes (64-byte aligned). Results do not depend on the
// thread count. No allocation.
void dense_attention(const kernel_table& kernels, thread_pool& pool, const dense_attention_args& args, float* scratch,
                     void* gemm_workspace);

} // namespace pxl::cpu
