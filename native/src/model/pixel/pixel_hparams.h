// Hyper-parameters of a pixel file (architecture `pixellm`, what `pixellm convert` writes as
// pixel.gguf): the CLIP vision tower (spec §3), the two projectors (§4), the codebook tokens (§5.1,
// §6.4) and the pixel decoder (§7, §8), read from the pixellm.* metadata.
#pragma once

#include "format/gguf_file.h"

#include <cstdint>
#include <vector>

namespace pxl {

struct vision_hparams {
    int64_t image_size = 0;    // padded input side (448)
    int64_t patch_size = 0;    // 14
    int64_t grid = 0;          // image_size / patch_size (32)
    int64_t n_embd = 0;        // Cv, the tower width (1024 for ViT-L)
    int64_t n_layer = 0;       // 24
    int64_t n_head = 0;        // 16
    int64_t n_ff = 0;          // 4096
    float ln_eps = 1e-5f;
    int32_t select_deep = -2;  // indices into hs[0..n_layer] counted from the end (§3.3)
    int32_t select_mid = -11;
    float image_mean[3] = {};  // on the 0..255 scale (§2.2)
    float image_std[3] = {};

    int64_t n_patches() const { return grid * grid; }
    int64_t n_positions() const { return n_patches() + 1; } // CLS first
    // hs index in [1, n_layer] of a negative select index
    int64_t layer_of(int32_t select) const { return n_layer + 1 + select; }
};

struct projector_hparams {
    int64_t n_input = 0;   // Cv
    int64_t n_hidden = 0;  // Hd = 2D in the release
    int64_t n_output = 0;  // D
    int64_t image_grid = 0; // 16: the pooled grid fed to the LLM (§4.2)
};

struct decoder_hparams {
    int64_t n_embd = 0;          // C, the mask-prompt width (256 in the release)
    int64_t n_ff = 0;            // two-way transformer MLP width (2048)
    int64_t n_head = 0;          // 8
    int64_t n_layer = 0;         // 2
    int64_t downsample = 0;      // cross-attention downsample rate (2)
    int64_t n_multimask = 0;     // 3 (+1 mask token)
    float ln_eps = 1e-5f;
    float ln2d_eps = 1e-6f;

    int64_t n_mask_tokens() const { return n_multimask + 1; }
    // The decoder's tokens per target: the IoU token, the mask tokens and the target's query.
    int64_t n_tokens() const { return n_mask_tokens() + 2; }
};

struct pixel_hparams {
    vision_hparams vision;
    projector_hparams projector;
    decoder_hparams decoder;
    int64_t llm_n_embd = 0;              // D of the language model this file belongs to
    int64_t llm_n_vocab = 0;             // its vocabulary size
    std::vector<int32_t> seg_ids;        // the codebook tokens in order (6 in the release)
    int32_t im_start_id = 0;
    int32_t im_end_id = 0;
    int64_t seg_token_num = 0;           // 3: codebook tokens per scale
    int64_t scale_num = 0;               // 2
    std::vector<float> multiseg_scalar;  // [seg_token_num] (1/3 each, untrained constants, §6.4)
    std::vector<float> multiscale_scalar; // [scale_num] (1/2 each, §8.5)
};

// Reads and validates: general.architecture must be "pixellm"; every width positive; the grid
// consistent with image and patch size; the selected layers inside the tower; the codebook ids
// inside the vocabulary and seg_token_num * scale_num of them. INVALID_FORMAT or UNSUPPORTED
// naming the key otherwise.
pixel_hparams read_pixel_hparams(const gguf_file& file);

} // namespace pxl
