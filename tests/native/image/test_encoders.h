// Small JPEG and PNG writers for the image tests (libjpeg-turbo's and libpng's own encoders), so the
// decoder tests make their inputs, damaged variants included, without test data on disk.
#pragma once

#include <cstdint>
#include <vector>

namespace pxl_test {

// A deterministic, photo-like RGB image [h, w, 3]: gradients plus a little pseudo-random texture.
std::vector<uint8_t> synthetic_rgb(int width, int height, uint32_t seed = 1);

// `components` is 1 (grey), 3 (RGB, stored as YCbCr) or 4 (CMYK, stored as Adobe CMYK).
// `exif` (TIFF bytes) becomes an APP1 "Exif" segment when not empty.
std::vector<uint8_t> encode_jpeg(const std::vector<uint8_t>& pixels, int width, int height, int components,
                                 int quality = 90, const std::vector<uint8_t>& exif = {});

// `color_type` and `bit_depth` as libpng's PNG_COLOR_TYPE_* / 1..16; samples packed as the PNG
// stores them (big-endian for 16 bits). `exif` (TIFF bytes) becomes an eXIf chunk when not empty.
std::vector<uint8_t> encode_png(const std::vector<uint8_t>& samples, int width, int height, int color_type, int bit_depth,
                                const std::vector<uint8_t>& exif = {});

// Rewrites the IHDR width/height of a PNG and fixes the chunk's CRC (a PNG that lies about its size).
void patch_png_size(std::vector<uint8_t>& png, uint32_t width, uint32_t height);

// Rewrites the SOF width/height (and optionally the sample precision) of a JPEG.
void patch_jpeg_sof(std::vector<uint8_t>& jpeg, int width, int height, int precision = 8);

// A TIFF (EXIF) block holding only an orientation tag, little- or big-endian.
std::vector<uint8_t> exif_with_orientation(int orientation, bool big_endian = false);

} // namespace pxl_test
