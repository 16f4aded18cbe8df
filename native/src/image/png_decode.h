// PNG decoding through libpng: every bit depth and colour type (grey, grey+alpha, palette, RGB,
// RGBA; 1..16 bits), interlaced or not, reduced to 8-bit RGB the way the reference's decoder does
// (spec §15.2): grey and palette expanded, 16-bit samples reduced to their high byte, alpha
// dropped (or composited onto a background when asked).
#pragma once

#include "image/decode_options.h"

#include <cstddef>
#include <cstdint>

namespace pxl {

// Throws INVALID_FORMAT for damaged or truncated data and UNSUPPORTED for sizes over the limits
// (checked from IHDR, before the pixel buffer exists). An eXIf chunk before the image data sets the
// orientation, applied when the options say so, as Pillow's exif_transpose would.
decoded_image decode_png(const uint8_t* data, size_t size, const decode_options& options);

} // namespace pxl
