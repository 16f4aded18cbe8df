#include "image/image_decode.h"

#include "core/error.h"
#include "image/jpeg_decode.h"
#include "image/png_decode.h"

#include <cstring>

namespace pxl {

namespace {

constexpr uint8_t k_png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

bool starts_with(const uint8_t* data, size_t size, const void* prefix, size_t length, size_t at = 0) {
    return size >= at + length && std::memcmp(data + at, prefix, length) == 0;
}

// Names formats people commonly send, so the error says what the file is rather than only what it is not.
const char* other_format_name(const uint8_t* data, size_t size) {
    if (starts_with(data, size, "GIF8", 4)) return "GIF";
    if (starts_with(data, size, "BM", 2)) return "BMP";
    if (starts_with(data, size, "RIFF", 4) && starts_with(data, size, "WEBP", 4, 8)) return "WebP";
    if (starts_with(data, size, "II*\0", 4) || starts_with(data, size, "MM\0*", 4)) return "TIFF";
    if (starts_with(data, size, "ftypavif", 8, 4)) return "AVIF";
    if (starts_with(data, size, "ftyphei", 7, 4) || starts_with(data, size, "ftypmif1", 8, 4)) return "HEIF";
    if (starts_with(data, size, "\xff\x0a", 2) || starts_with(data, size, "\0\0\0\x0cJXL ", 8)) return "JPEG XL";
    if (starts_with(data, size, "\0\0\0\x0cjP  ", 8)) return "JPEG 2000";
    return nullptr;
}

} // namespace

decoded_image decode_image(const uint8_t* data, size_t size, const decode_options& options) {
    if (size == 0) fail(PXL_STATUS_INVALID_FORMAT, "the image data is empty (0 bytes)");
    if (starts_with(data, size, "\xff\xd8\xff", 3)) return decode_jpeg(data, size, options);
    if (starts_with(data, size, k_png_signature, sizeof k_png_signature)) return decode_png(data, size, options);
    if (const char* name = other_format_name(data, size))
        fail(PXL_STATUS_UNSUPPORTED, "%s images are not supported; supported formats are JPEG and PNG", name);
    char head[3 * 8 + 1] = {};
    for (size_t i = 0; i < size && i < 8; ++i) std::snprintf(head + 3 * i, 4, "%02x ", data[i]);
    if (size > 0 && size <= 8) head[3 * size - 1] = '\0';
    else head[3 * 8 - 1] = '\0';
    fail(PXL_STATUS_UNSUPPORTED, "unrecognised image data (it starts with %s); supported formats are JPEG and PNG", head);
}

} // namespace pxl
