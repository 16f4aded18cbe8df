// A decoded image: 8-bit RGB, interleaved, rows packed (stride = 3 * width), top row first.
// Every decoder produces one; resizing and preprocessing read one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pxl {

struct rgb_image {
    int32_t width = 0;
    int32_t height = 0;
    std::vector<uint8_t> pixels;  // [height, width, 3]

    size_t row_bytes() const { return static_cast<size_t>(width) * 3; }
    const uint8_t* row(int32_t y) const { return pixels.data() + static_cast<size_t>(y) * row_bytes(); }
    uint8_t* row(int32_t y) { return pixels.data() + static_cast<size_t>(y) * row_bytes(); }
};

} // namespace pxl
