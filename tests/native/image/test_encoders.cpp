#include "test_encoders.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

namespace pxl_test {

std::vector<uint8_t> synthetic_rgb(int width, int height, uint32_t seed) {
    std::vector<uint8_t> out(static_cast<size_t>(width) * height * 3);
    uint32_t state = seed * 2654435761u + 1;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            const int noise = static_cast<int>(state % 21) - 10;
            const int base[3] = {x * 255 / (width > 1 ? width - 1 : 1), y * 255 / (height > 1 ? height - 1 : 1),
                                 ((x / 7 + y / 5) % 2) * 120 + 60};
            for (int c = 0; c < 3; ++c) {
                const int v = base[c] + noise;
                out[(static_cast<size_t>(y) * width + x) * 3 + c] = static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
            }
        }
    return out;
}

std::vector<uint8_t> encode_jpeg(const std::vector<uint8_t>& pixels, int width, int height, int components, int quality,
                                 const std::vector<uint8_t>& exif) {
    jpeg_compress_struct cinfo{};
    jpeg_error_mgr err{};
    cinfo.err = jpeg_std_error(&err);  // a test-side encoding failure may exit: inputs here are valid
    jpeg_create_compress(&cinfo);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = static_cast<JDIMENSION>(width);
    cinfo.image_height = static_cast<JDIMENSION>(height);
    cinfo.input_components = components;
    cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : (components == 3 ? JCS_RGB : JCS_CMYK);
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    if (!exif.empty()) {
        std::vector<uint8_t> app1 = {'E', 'x', 'i', 'f', 0, 0};
        app1.insert(app1.end(), exif.begin(), exif.end());
        jpeg_write_marker(&cinfo, JPEG_APP0 + 1, app1.data(), static_cast<unsigned>(app1.size()));
    }
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = const_cast<uint8_t*>(pixels.data()) + static_cast<size_t>(cinfo.next_scanline) * width * components;
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    std::vector<uint8_t> out(buffer, buffer + size);
    jpeg_destroy_compress(&cinfo);
    std::free(buffer);
    return out;
}

namespace {

void append_png(png_structp png, png_bytep data, size_t size) {
    auto* out = static_cast<std::vector<uint8_t>*>(png_get_io_ptr(png));
    out->insert(out->end(), data, data + size);
}

int channels_of(int color_type) {
    switch (color_type) {
        case PNG_COLOR_TYPE_GRAY: return 1;
        case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
        case PNG_COLOR_TYPE_RGB: return 3;
        case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
        default: return 1;  // palette indices
    }
}

} // namespace

std::vector<uint8_t> encode_png(const std::vector<uint8_t>& samples, int width, int height, int color_type, int bit_depth,
                                const std::vector<uint8_t>& exif) {
    std::vector<uint8_t> out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) throw std::runtime_error("encode_png failed");
    png_set_write_fn(png, &out, append_png, nullptr);
    png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), bit_depth, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color palette[256];
        for (int i = 0; i < 256; ++i) palette[i] = {static_cast<png_byte>(i), static_cast<png_byte>(255 - i), static_cast<png_byte>(i / 2)};
        png_set_PLTE(png, info, palette, 1 << bit_depth);
    }
    if (!exif.empty()) png_set_eXIf_1(png, info, static_cast<png_uint_32>(exif.size()), const_cast<png_bytep>(exif.data()));
    png_write_info(png, info);
    const size_t row_bytes = (static_cast<size_t>(width) * channels_of(color_type) * bit_depth + 7) / 8;
    for (int y = 0; y < height; ++y) png_write_row(png, samples.data() + static_cast<size_t>(y) * row_bytes);
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

void patch_png_size(std::vector<uint8_t>& png, uint32_t width, uint32_t height) {
    // signature (8) + length (4) + "IHDR" (4): width at 16, height at 20, CRC over type+data at 29.
    for (int i = 0; i < 4; ++i) {
        png[16 + i] = static_cast<uint8_t>(width >> (24 - 8 * i));
        png[20 + i] = static_cast<uint8_t>(height >> (24 - 8 * i));
    }
    const uint32_t crc = static_cast<uint32_t>(crc32(0, png.data() + 12, 17));
    for (int i = 0; i < 4; ++i) png[29 + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
}

void patch_jpeg_sof(std::vector<uint8_t>& jpeg, int width, int height, int precision) {
    for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
        if (jpeg[i] == 0xff && (jpeg[i + 1] == 0xc0 || jpeg[i + 1] == 0xc2)) {
            jpeg[i + 4] = static_cast<uint8_t>(precision);
            jpeg[i + 5] = static_cast<uint8_t>(height >> 8);
            jpeg[i + 6] = static_cast<uint8_t>(height);
            jpeg[i + 7] = static_cast<uint8_t>(width >> 8);
            jpeg[i + 8] = static_cast<uint8_t>(width);
            return;
        }
    }
    throw std::runtime_error("no SOF marker");
}

std::vector<uint8_t> exif_with_orientation(int orientation, bool big_endian) {
    auto u16 = [&](std::vector<uint8_t>& v, uint16_t x) {
        if (big_endian) v.insert(v.end(), {static_cast<uint8_t>(x >> 8), static_cast<uint8_t>(x)});
        else v.insert(v.end(), {static_cast<uint8_t>(x), static_cast<uint8_t>(x >> 8)});
    };
    auto u32 = [&](std::vector<uint8_t>& v, uint32_t x) {
        if (big_endian) { u16(v, static_cast<uint16_t>(x >> 16)); u16(v, static_cast<uint16_t>(x)); }
        else { u16(v, static_cast<uint16_t>(x)); u16(v, static_cast<uint16_t>(x >> 16)); }
    };
    std::vector<uint8_t> tiff;
    tiff.push_back(big_endian ? 'M' : 'I');
    tiff.push_back(big_endian ? 'M' : 'I');
    u16(tiff, 42);
    u32(tiff, 8);
    u16(tiff, 1);                  // one entry
    u16(tiff, 0x0112);             // orientation
    u16(tiff, 3);                  // SHORT
    u32(tiff, 1);
    u16(tiff, static_cast<uint16_t>(orientation));
    u16(tiff, 0);
    u32(tiff, 0);                  // no next IFD
    return tiff;
}

} // namespace pxl_test
