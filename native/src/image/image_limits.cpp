#include "image/image_limits.h"

#include "core/error.h"

namespace pxl {

void check_image_size(int64_t width, int64_t height, const image_limits& limits, const char* what) {
    if (width <= 0 || height <= 0)
        fail(PXL_STATUS_INVALID_FORMAT, "%s: the image is %lldx%lld; both sides must be at least 1 pixel", what,
             static_cast<long long>(width), static_cast<long long>(height));
    if (width > limits.max_side || height > limits.max_side)
        fail(PXL_STATUS_UNSUPPORTED, "%s: the image is %lldx%lld; a side may be at most %d pixels (max_side)", what,
             static_cast<long long>(width), static_cast<long long>(height), limits.max_side);
    // Both sides fit in 31 bits here, so the product cannot overflow 64 bits.
    if (width * height > limits.max_pixels)
        fail(PXL_STATUS_UNSUPPORTED, "%s: the image is %lldx%lld (%.1f megapixels); the limit is %.1f megapixels (max_pixels)",
             what, static_cast<long long>(width), static_cast<long long>(height),
             static_cast<double>(width * height) / 1e6, static_cast<double>(limits.max_pixels) / 1e6);
}

rgb_image allocate_rgb_image(int32_t width, int32_t height) {
    rgb_image image;
    image.width = width;
    image.height = height;
    image.pixels.resize(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
    return image;
}

} // namespace pxl
