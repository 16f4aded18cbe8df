// JPEG decoding through libjpeg(-turbo) with its default settings (accurate integer IDCT, fancy
// upsampling), which are also Pillow's, so decoded pixels equal the reference's exactly.
#pragma once

#include "image/decode_options.h"

#include <cstddef>
#include <cstdint>

namespace pxl {

// Decodes a baseline or progressive 8-bit JPEG (grey, YCbCr or RGB) to RGB. Throws INVALID_FORMAT for
// damaged or truncated data, UNSUPPORTED for CMYK/YCCK and 12-bit JPEGs and for sizes over the
// limits (checked from the header, before the pixel buffer exists).
decoded_image decode_jpeg(const uint8_t* data, size_t size, const decode_options& options);

} // namespace pxl
