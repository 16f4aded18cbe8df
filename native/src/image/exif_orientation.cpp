#include "image/exif_orientation.h"

#include "image/image_limits.h"

namespace pxl {

namespace {

constexpr uint16_t k_orientation_tag = 0x0112;
constexpr uint16_t k_type_short = 3;
constexpr uint16_t k_type_long = 4;

struct tiff_reader {
    const uint8_t* data;
    size_t size;
    bool big_endian;

    bool u16(size_t at, uint16_t* out) const {
        if (at > size || size - at < 2) return false;
        *out = big_endian ? static_cast<uint16_t>(data[at] << 8 | data[at + 1])
                          : static_cast<uint16_t>(data[at + 1] << 8 | data[at]);
        return true;
    }
    bool u32(size_t at, uint32_t* out) const {
        uint16_t a = 0, b = 0;
        if (!u16(at, &a) || !u16(at + 2, &b)) return false;
        *out = big_endian ? (uint32_t{a} << 16 | b) : (uint32_t{b} << 16 | a);
        return true;
    }
};

} // namespace

int read_exif_orientation(const uint8_t* tiff, size_t size) {
    if (tiff == nullptr || size < 8) return 1;
    tiff_reader reader{tiff, size, false};
    if (tiff[0] == 'M' && tiff[1] == 'M') reader.big_endian = true;
    else if (tiff[0] != 'I' || tiff[1] != 'I') return 1;
    uint16_t magic = 0;
    uint32_t ifd = 0;
    uint16_t entries = 0;
    if (!reader.u16(2, &magic) || magic != 42 || !reader.u32(4, &ifd) || !reader.u16(ifd, &entries)) return 1;
    for (uint32_t i = 0; i < entries; ++i) {
        const size_t entry = size_t{ifd} + 2 + size_t{i} * 12;
        uint16_t tag = 0, type = 0;
        uint32_t count = 0;
        if (!reader.u16(entry, &tag) || !reader.u16(entry + 2, &type) || !reader.u32(entry + 4, &count)) return 1;
        if (tag != k_orientation_tag) continue;
        // Pillow reads a single SHORT or LONG; anything else (a list, another type) means no turn.
        uint32_t value = 0;
        if (count != 1) return 1;
        if (type == k_type_short) {
            uint16_t v = 0;
            if (!reader.u16(entry + 8, &v)) return 1;
            value = v;
        } else if (type == k_type_long) {
            if (!reader.u32(entry + 8, &value)) return 1;
        } else {
            return 1;
        }
        return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
    }
    return 1;
}

rgb_image apply_exif_orientation(rgb_image image, int orientation) {
    if (orientation < 2 || orientation > 8) return image;
    const int32_t w = image.width, h = image.height;
    const bool swaps = orientation >= 5;
    rgb_image out = allocate_rgb_image(swaps ? h : w, swaps ? w : h);
    // For each output pixel (x, y), its source (sx, sy) in the stored image. 2: mirror; 3: 180°;
    // 4: flip; 5: transpose; 6: 90° clockwise; 7: transverse; 8: 90° counter-clockwise.
    for (int32_t y = 0; y < out.height; ++y) {
        uint8_t* dst = out.row(y);
        for (int32_t x = 0; x < out.width; ++x) {
            int32_t sx = x, sy = y;
            switch (orientation) {
                case 2: sx = w - 1 - x; break;
                case 3: sx = w - 1 - x; sy = h - 1 - y; break;
                case 4: sy = h - 1 - y; break;
                case 5: sx = y; sy = x; break;
                case 6: sx = y; sy = h - 1 - x; break;
                case 7: sx = w - 1 - y; sy = h - 1 - x; break;
                case 8: sx = w - 1 - y; sy = x; break;
                default: break;
            }
            const uint8_t* src = image.row(sy) + static_cast<size_t>(sx) * 3;
            dst[3 * x] = src[0];
            dst[3 * x + 1] = src[1];
            dst[3 * x + 2] = src[2];
        }
    }
    return out;
}

} // namespace pxl
