// The data movement around the pixel decoder's convolutions (spec §7.3, §8.1), whose arithmetic is
// matmul (matmul.h). Activations are channels-last images: [h * w][c], pixel (y, x) at row y * w + x.
//   Conv 3x3, pad 1:  im2col_3x3, then matmul with the [c_out][c_in][3][3] kernel as W [c_out][9 c_in].
//   ConvTranspose k2 s2: matmul with W [4 c_out][c_in] (the taps (a, b) outermost, see
//   conv_transpose_weights in model/pixel), then depth_to_space_2x2: the stride equals the
//   kernel, so output pixels never overlap and each is one matmul value plus the bias.
// Split over the pool by rows; pure copies (and one add), so results do not depend on threads.
#pragma once

#include "core/thread_pool.h"

#include <cstdint>

namespace pxl::cpu {

// cols [h * w][c * 9] = the 3x3 neighbourhood of every pixel of x [h * w][c], zero outside the
// image, in the order of a PyTorch Conv2d kernel row: cols[p][ci * 9 + ky * 3 + kx] = x at
// (y + ky - 1, x + kx - 1), channel ci.
void im2col_3x3(thread_pool& pool, const float* x, int64_t h, int64_t w, int64_t c, float* cols);

// out [(2h) * (2w)][c] from taps [h * w][4][c] (tap a * 2 + b of input pixel (y, x) goes to output
// pixel (2y + a, 2x + b)), plus bias [c] (nullptr: none).
void depth_to_space_2x2(thread_pool& pool, const float* taps, int64_t h, int64_t w, int64_t c, const float* bias,
                        float* out);

} // namespace pxl::cpu
