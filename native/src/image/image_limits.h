// Size limits for decoded images, checked against the header's dimensions before any pixel buffer
// is allocated, so a small file that claims to be huge (a decompression bomb) costs nothing.
#pragma once

#include "image/rgb_image.h"

#include <cstdint>

namespace pxl {

struct image_limits {
    int64_t max_pixels = 64'000'000;  // 64 megapixels
    int32_t max_side = 16384;
};

// Throws: INVALID_FORMAT for a zero or negative side (`what` names the source, e.g. "PNG header"),
// UNSUPPORTED when a side or the pixel count exceeds the limits (the message names the limit).
void check_image_size(int64_t width, int64_t height, const image_limits& limits, const char* what);

// An image of the given size with its pixel buffer allocated (uninitialised content); check the
// size first.
rgb_image allocate_rgb_image(int32_t width, int32_t height);

} // namespace pxl
