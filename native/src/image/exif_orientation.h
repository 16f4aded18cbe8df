// EXIF orientation (tag 0x0112): read from an EXIF block and applied to decoded pixels, as
// Pillow's ImageOps.exif_transpose does (spec §2.1, §15.2).
#pragma once

#include "image/rgb_image.h"

#include <cstddef>
#include <cstdint>

namespace pxl {

// The orientation (1..8) stored in a TIFF-structured EXIF block (the bytes after "Exif\0\0"), or 1
// when the block has none or is damaged: a broken EXIF block never makes an image undecodable.
int read_exif_orientation(const uint8_t* tiff, size_t size);

// The image as it is meant to be seen: orientation 2..8 flip and/or rotate it (5..8 swap the
// sides); 1 and anything else leave it as it is.
rgb_image apply_exif_orientation(rgb_image image, int orientation);

} // namespace pxl
