// Pillow's antialiased BILINEAR resize of 8-bit images (Image.resize(size, BILINEAR)), bit for bit
// (spec §2.2 step 2). Per axis: a triangle filter whose support grows with the downscale factor,
// normalised weights in fixed point with 22 fractional bits, a horizontal pass then a vertical
// pass, the intermediate rounded and clamped to 8 bits. A plain 2-tap bilinear is not equivalent.
#pragma once

#include "image/rgb_image.h"

#include <cstdint>
#include <vector>

namespace pxl {

// The fixed-point taps of one axis: output i reads `count[i]` inputs from `first[i]` with weights
// coeffs[i * ksize ...]. Exposed for the tests.
struct resample_taps {
    int32_t ksize = 0;
    std::vector<int32_t> first;
    std::vector<int32_t> count;
    std::vector<int32_t> coeffs;  // [out_size, ksize], sum ≈ 1 << 22 per row
};

constexpr int k_resample_precision_bits = 22;

resample_taps compute_bilinear_taps(int32_t in_size, int32_t out_size);

// `width` and `height` must be positive.
rgb_image resize_bilinear(const rgb_image& image, int32_t width, int32_t height);

} // namespace pxl
