// The CLIP branch's input (spec §2.2 padded path, §2.5 validity masks): longest side resized to
// image_size with Pillow's BILINEAR, normalised per channel on the 0..255 scale, zero-padded at the
// bottom and right; plus the bookkeeping later stages need and a cache key.
#pragma once

#include "image/rgb_image.h"

#include <cstdint>
#include <string>

namespace pxl {

struct clip_preprocess_params {
    int32_t image_size = 448;
    int32_t patch_size = 14;
    int32_t token_grid = 16;  // the LLM token grid: every (patch_grid / token_grid)-th patch
    float mean[3] = {123.675f, 116.28f, 103.53f};
    float std[3] = {58.395f, 57.12f, 57.375f};
};

// Throws INVALID_ARGUMENT for inconsistent parameters (the message names the field).
void check_clip_preprocess_params(const clip_preprocess_params& params);

// (h', w') for an H x W image: s = image_size / max(H, W) in double, floor(H*s + 0.5), floor(W*s + 0.5).
void clip_resized_size(int32_t width, int32_t height, int32_t image_size, int32_t* out_width, int32_t* out_height);

struct clip_preprocess_output {
    float* pixels = nullptr;        // [3, image_size, image_size], planar R, G, B
    uint8_t* patch_valid = nullptr;  // [patch_grid, patch_grid]: 1 iff patch_size*i < h' and patch_size*j < w'
    uint8_t* token_valid = nullptr;  // [token_grid, token_grid]: patch_valid[s*u, s*v], s = patch_grid / token_grid
    int32_t resized_width = 0;
    int32_t resized_height = 0;
};

// Fills the caller's buffers (sizes as commented above). Throws UNSUPPORTED when the image is so
// thin that a side would resize to 0 pixels.
void clip_preprocess(const rgb_image& image, const clip_preprocess_params& params, clip_preprocess_output& out);

// 64 hex digits: SHA-256 over the decoded pixels, their size and every parameter that changes the
// result (and a version tag for the algorithm), so equal keys mean equal preprocessed tensors.
std::string clip_preprocess_cache_key(const rgb_image& image, const clip_preprocess_params& params);

} // namespace pxl
