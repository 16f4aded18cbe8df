#include "image/png_decode.h"

#include "core/error.h"
#include "core/log.h"
#include "image/exif_orientation.h"

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

#include <png.h>

namespace pxl {

namespace {

// libpng's default error handler prints to stderr and longjmps to png_jmpbuf; ours records the
// message first. Warnings go to our log. The jump crosses only libpng's C frames and these callbacks.
struct png_session {
    png_structp png = nullptr;
    png_infop info = nullptr;
    const uint8_t* data = nullptr;
    size_t size = 0;
    size_t offset = 0;
    char message[256] = {};
    std::vector<png_bytep> rows;  // here, not in decode_into's frame, so a longjmp cannot leak it

    ~png_session() {
        if (png != nullptr) png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
    }
};

void on_error(png_structp png, png_const_charp message) {
    auto* session = static_cast<png_session*>(png_get_error_ptr(png));
    std::snprintf(session->message, sizeof session->message, "%s", message);
    png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp message) { log(PXL_LOG_LEVEL_WARN, "PNG decoder: %s", message); }

void on_read(png_structp png, png_bytep out, size_t count) {
    auto* session = static_cast<png_session*>(png_get_io_ptr(png));
    if (session->size - session->offset < count) png_error(png, "the PNG data is truncated (it ends before the image does)");
    std::memcpy(out, session->data + session->offset, count);
    session->offset += count;
}

// out = (c * a + bg * (255 - a)) / 255, rounded to nearest.
void composite_onto(const std::vector<uint8_t>& rgba, const uint8_t background[3], rgb_image& out) {
    const size_t count = static_cast<size_t>(out.width) * static_cast<size_t>(out.height);
    uint8_t* dst = out.pixels.data();
    for (size_t i = 0; i < count; ++i) {
        const uint32_t a = rgba[4 * i + 3];
        for (int c = 0; c < 3; ++c)
            dst[3 * i + c] = static_cast<uint8_t>((rgba[4 * i + c] * a + background[c] * (255 - a) + 127) / 255);
    }
}

// Returns false after a libpng error (session.message says why). Locals are not modified after
// setjmp; what changes lives in `session`, `out` and `rgba`.
bool decode_into(png_session& session, const decode_options& options, decoded_image& out, std::vector<uint8_t>& rgba) {
    session.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &session, on_error, on_warning);
    if (session.png == nullptr) throw std::bad_alloc();
    session.info = png_create_info_struct(session.png);
    if (session.info == nullptr) throw std::bad_alloc();
    png_structp png = session.png;
    png_infop info = session.info;
    if (setjmp(png_jmpbuf(png)) != 0) return false;

    png_set_read_fn(png, &session, on_read);
    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, nullptr, nullptr, nullptr);
    check_image_size(width, height, options.limits, "PNG header");
    const bool has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    out.bits_per_channel = bit_depth;
    out.had_alpha = (color_type & PNG_COLOR_MASK_ALPHA) != 0 || has_trns;
    png_uint_32 exif_size = 0;
    png_bytep exif = nullptr;
    if (png_get_eXIf_1(png, info, &exif_size, &exif) != 0) out.exif_orientation = read_exif_orientation(exif, exif_size);

    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (bit_depth == 16) png_set_strip_16(png);  // keeps the high byte, as Pillow does
    if ((color_type & PNG_COLOR_MASK_COLOR) == 0) png_set_gray_to_rgb(png);
    if (options.composite_alpha && has_trns) png_set_tRNS_to_alpha(png);
    if (!options.composite_alpha) png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    const int channels = png_get_channels(png, info);
    if ((channels != 3 && channels != 4) || png_get_rowbytes(png, info) != static_cast<size_t>(width) * channels) {
        std::snprintf(session.message, sizeof session.message, "unexpected layout after expansion (%d channels)", channels);
        return false;
    }

    out.image = allocate_rgb_image(static_cast<int32_t>(width), static_cast<int32_t>(height));
    uint8_t* base = out.image.pixels.data();
    if (channels == 4) {
        rgba.resize(static_cast<size_t>(width) * height * 4);
        base = rgba.data();
    }
    session.rows.resize(height);
    for (png_uint_32 y = 0; y < height; ++y) session.rows[y] = base + static_cast<size_t>(y) * width * channels;
    png_read_image(png, session.rows.data());
    return true;
}

} // namespace

decoded_image decode_png(const uint8_t* data, size_t size, const decode_options& options) {
    png_session session;
    session.data = data;
    session.size = size;
    decoded_image out;
    out.format = PXL_IMAGE_FORMAT_PNG;
    std::vector<uint8_t> rgba;
    if (!decode_into(session, options, out, rgba)) fail(PXL_STATUS_INVALID_FORMAT, "invalid PNG: %s", session.message);
    if (!rgba.empty()) composite_onto(rgba, options.background, out.image);
    if (options.apply_exif_orientation) out.image = apply_exif_orientation(std::move(out.image), out.exif_orientation);
    return out;
}

} // namespace pxl
