// SAM's TwoWayTransformer as the pixel decoder runs it (spec §8.2, §8.3; reference
// tests/reference/pixellm_ref/two_way.py), for n targets at once: every matmul takes all targets'
// rows together, and attention runs target by target (each target's tokens attend only to its own
// image, and the other way round). f32 activations, channels-last; nothing allocated here.
#pragma once

#include "core/thread_pool.h"
#include "cpu/kernels.h"
#include "model/pixel/mask_head_weights.h"

#include <cstdint>

namespace pxl {

// What every layer of the mask head needs besides its weights.
struct mask_head_compute {
    const cpu::kernel_table& kernels;
    thread_pool& pool;
    void* matmul_workspace;     // matmul_workspace_bytes for the largest product
    const int32_t* zero_positions; // [the longest attention sequence] zeros: attention without a mask
    int n_head;
};

// y [m][out] = x [m][in] * W^T + b
void mask_head_linear(const mask_head_compute& c, const linear_weights& w, const float* x, int64_t m, float* y);

// The transformer's tensors for n targets of n_tokens tokens over an hw-pixel image, C wide.
// Buffers are distinct unless noted; "inner" is the widest attention width (C).
struct two_way_buffers {
    float* queries;        // [n][n_tokens][C] in: T0; out: Qy
    const float* tokens;   // [n][n_tokens][C] T0, the query PE of every layer
    float* keys;           // [n][hw][C] in: the image (src); out: K
    const float* key_pe;   // [hw][C] the image PE, the same for every target
    float* keys_pe;        // [n][hw][C] scratch: K + PE
    float* image_a;        // [n][hw][inner] scratch
    float* image_b;        // [n][hw][inner] scratch
    float* tokens_pe;      // [n][n_tokens][C] scratch: Qy + T0
    float* token_q;        // [n][n_tokens][inner] scratch
    float* token_k;        // [n][n_tokens][inner] scratch
    float* token_v;        // [n][n_tokens][inner] scratch
    float* token_attended; // [n][n_tokens][inner] scratch
    float* token_out;      // [n][n_tokens][C] scratch
    float* mlp_hidden;     // [n][n_tokens][n_ff] scratch
};

// §8.3: (Qy, K) = TwoWayTransformer(src, pos, T0), in place in b.queries and b.keys.
void two_way_transformer(const mask_head_compute& c, const two_way_transformer_weights& w, const decoder_hparams& hp,
                         const two_way_buffers& b, int64_t n, int64_t n_tokens, int64_t hw);

} // namespace pxl
