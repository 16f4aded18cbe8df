// The decoder entry point: recognises the format from the first bytes and hands the data to the
// JPEG or PNG decoder. This is what pxl_image_decode and the fuzz target call.
#pragma once

#include "image/decode_options.h"

#include <cstddef>
#include <cstdint>

namespace pxl {

// Throws INVALID_FORMAT for empty or damaged data and UNSUPPORTED for other formats (the message
// names the format when it recognises it, and lists the supported ones).
decoded_image decode_image(const uint8_t* data, size_t size, const decode_options& options);

} // namespace pxl
