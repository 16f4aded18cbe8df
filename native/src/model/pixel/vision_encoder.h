// The vision tower and the projectors (spec §3.3, §4.2, §4.3): one padded image in, the LLM image
// tokens and the two mask-branch feature maps out, plus the intermediates the parity tests compare.
#pragma once

#include "core/aligned_buffer.h"
#include "core/thread_pool.h"
#include "cpu/gemm.h"
#include "model/pixel/pixel_model.h"

#include <cstdint>
#include <vector>

namespace pxl {

// Activations of one image, sized once per context for the model's geometry.
struct vision_scratch {
    vision_scratch(const pixel_model& model, cpu::gemm_precision precision, int n_threads);

    aligned_buffer patches;   // [n_patches][3 P P] the image cut into patch rows (im2col)
    aligned_buffer x;         // [n_positions][Cv] residual stream
    aligned_buffer xn;        // [n_positions][Cv] normalized input of a block
    aligned_buffer q, k, v;   // [n_positions][Cv]
    aligned_buffer attention; // [n_positions][Cv]
    aligned_buffer attention_scratch; // one head's scores [n_positions][n_positions] and transposed values
    aligned_buffer hidden;    // [max(n_positions x n_ff, n_patches x Hd)] MLP / projector hidden activations
    aligned_buffer hs_deep;   // [n_positions][Cv] hs[select_deep]
    aligned_buffer hs_mid;    // [n_positions][Cv] hs[select_mid]
    aligned_buffer pooled;    // [image_grid^2][Cv]
    aligned_buffer gemm_workspace;
    std::vector<uint64_t> key_masked; // [(n_positions + 63) / 64] padded patches hidden from every query
};

// Where the results go; every pointer but image_tokens may be null (not computed or not copied).
struct vision_outputs {
    float* image_tokens = nullptr;  // [image_grid^2][D] mm_projector(pooled F_deep)
    float* mask_features = nullptr; // [2][n_patches][D] out_mm_projector of F_deep, then F_mid
    float* hs0 = nullptr;           // [n_positions][Cv] the pre-LN embeddings
    float* hs_deep = nullptr;       // [n_positions][Cv]
    float* hs_mid = nullptr;        // [n_positions][Cv]
    float* pooled = nullptr;        // [image_grid^2][Cv]
};

// Runs the tower on pixels [3][S][S] (normalized, zero-padded to S = image_size; spec §2.2) of
// which the top-left valid_height x valid_width are the image: patches outside it are hidden as
// keys (§2.5) but still computed as queries. valid sizes in 1..S (checked by the caller).
void vision_encode(const pixel_model& model, vision_scratch& scratch, thread_pool& pool, cpu::gemm_precision precision,
                   const float* pixels, int32_t valid_height, int32_t valid_width, const vision_outputs& out);

} // namespace pxl
