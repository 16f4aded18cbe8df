// The mask head of a pixel context (spec §6.4 steps 3-4, §7, §8; reference
// tests/reference/pixellm_ref/{layers,seg,prompt_encoder,mask_decoder}.py): the image-feature neck
// over both feature scales, then for a batch of targets the codebook MLP and fusion, and the two
// decoder levels, level 1 conditioned on level 0's logits. Returns the raw per-level low-resolution
// logits (m0, m1) and IoU predictions; their fusion (§8.5) and everything after is C#'s.
//
// Everything is sized at construction for `max_targets` targets (about 12 MiB of scratch per target
// in the release, plus ~20 MiB shared); larger calls run in chunks of max_targets, which gives the
// same results since targets never interact. No allocation per call. Activations are f32,
// channels-last ([pixels][channels]), so LayerNorm2d is a row LayerNorm.
#pragma once

#include "core/aligned_buffer.h"
#include "core/thread_pool.h"
#include "model/pixel/pixel_model.h"

#include <cstdint>

namespace pxl {

// Where decode() writes; every pointer but level0 / level1 may be null (not wanted). g = the patch
// grid (32), C = decoder width, S = codebook tokens per target (6), T = decoder tokens (6).
struct mask_decode_outputs {
    float* level0;         // [n][2g][2g] m0, mask logits of level 0
    float* level1;         // [n][4g][4g] m1, mask logits of level 1
    float* iou;            // [n][2][n_multimask + 1] IoU predictions of both levels
    float* text_fcs;       // [n * S][C] text_hidden_fcs of the codebook states (§7.1)
    float* queries;        // [n][2][C] fused queries Q (§6.4)
    float* pe[2];          // [g * g][C] PE32, [4 g * g][C] pe1 on 64 x 64 (§7.2, §8.4)
    float* src[2];         // [n][hw_l][C] decoder input of each level (after conditioning, + dense)
    float* tokens[2];      // [n][T][C] T0 of each level
    float* out_queries[2]; // [n][T][C] transformer token outputs Qy
    float* keys[2];        // [n][hw_l][C] transformer image outputs K
};

class mask_head {
public:
    mask_head(const pixel_model& model, int64_t max_targets);

    int64_t max_targets() const { return max_targets_; }

    // neck [2][g * g][C] (channels-last) = image_feature_neck(features [2][g * g][Dm]), the mask
    // features of F_deep and F_mid (out_mm_projector's output, §4.3), one scale after the other.
    void prepare_features(thread_pool& pool, const float* features, float* neck);

    // Decodes n_targets >= 1 targets from the neck output and the codebook hidden states
    // seg_hidden [n_targets * S][D] (generation order: target, scale, token; §6.4).
    void decode(thread_pool& pool, const float* neck, const float* seg_hidden, int64_t n_targets,
                const mask_decode_outputs& out);

private:
    void decode_chunk(thread_pool& pool, const float* neck, const float* seg_hidden, int64_t n,
                      const mask_decode_outputs& out);
    void run_level(thread_pool& pool, int level, const float* neck, int64_t n, float* masks, float* iou,
                   const mask_decode_outputs& out);

    const pixel_model& model_;
    int64_t max_targets_;
    aligned_buffer pe_[2];           // [hw_l][C] the image PE of each level
    aligned_buffer zero_positions_;  // int32 [hw_1]
    aligned_buffer matmul_workspace_;
    aligned_buffer neck_rows_;       // [2 g^2][C] the neck between its convolutions
    aligned_buffer columns_;         // [g^2][9 C] im2col of one scale
    aligned_buffer upsampled_;       // [hw_1][C] GELU(LN2d(ConvT(neck[1]))), shared by all targets
    aligned_buffer seg_hidden_fc_;   // [max * S][D]
    aligned_buffer text_fcs_;        // [max * S][C]
    aligned_buffer queries_;         // [max][2][C]
    aligned_buffer tokens_, token_queries_, tokens_pe_, token_q_, token_k_, token_v_, token_attended_,
        token_out_;                  // [max][T][C]
    aligned_buffer mlp_hidden_;      // [max][T][n_ff]
    aligned_buffer keys_, keys_pe_;  // [max][hw_1][C]
    aligned_buffer image_a_, image_b_; // [max][hw_1][max(C / downsample, C / 2)]
    aligned_buffer head_in_, head_hidden_a_, head_hidden_b_; // [max][C] the hypernetwork / IoU MLPs
    aligned_buffer head_out_;        // [max][max(C / 8, n_multimask + 1)]
};

} // namespace pxl
