// EXIF orientation: reading the tag from TIFF bytes, and the eight turns Pillow's exif_transpose makes.
#include "image/exif_orientation.h"
#include "image/image_limits.h"
#include "test_encoders.h"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(ExifOrientation, ReadsBothByteOrders) {
    for (int orientation = 1; orientation <= 8; ++orientation)
        for (bool big_endian : {false, true}) {
            const std::vector<uint8_t> tiff = pxl_test::exif_with_orientation(orientation, big_endian);
            EXPECT_EQ(pxl::read_exif_orientation(tiff.data(), tiff.size()), orientation) << big_endian;
        }
}

TEST(ExifOrientation, DamagedOrOutOfRangeMeansNoTurn) {
    std::vector<uint8_t> tiff = pxl_test::exif_with_orientation(6);
    EXPECT_EQ(pxl::read_exif_orientation(tiff.data(), 12), 1);      // cut inside the entry
    EXPECT_EQ(pxl::read_exif_orientation(nullptr, 0), 1);
    std::vector<uint8_t> bad_magic = tiff;
    bad_magic[2] = 43;
    EXPECT_EQ(pxl::read_exif_orientation(bad_magic.data(), bad_magic.size()), 1);
    std::vector<uint8_t> nine = pxl_test::exif_with_orientation(9);
    EXPECT_EQ(pxl::read_exif_orientation(nine.data(), nine.size()), 1);
    std::vector<uint8_t> far_ifd = tiff;
    far_ifd[4] = 0xff;                                              // IFD offset past the end
    EXPECT_EQ(pxl::read_exif_orientation(far_ifd.data(), far_ifd.size()), 1);
}

// The stored image is "abc/def" (3 wide, 2 high), each letter one pixel.
std::string turned(int orientation) {
    pxl::rgb_image image = pxl::allocate_rgb_image(3, 2);
    const char* letters = "abcdef";
    for (int i = 0; i < 6; ++i) image.pixels[3 * i] = image.pixels[3 * i + 1] = image.pixels[3 * i + 2] = static_cast<uint8_t>(letters[i]);
    const pxl::rgb_image out = pxl::apply_exif_orientation(image, orientation);
    std::string text;
    for (int y = 0; y < out.height; ++y) {
        if (y > 0) text += '/';
        for (int x = 0; x < out.width; ++x) text += static_cast<char>(out.row(y)[3 * x]);
    }
    return text;
}

TEST(ExifOrientation, AppliesTheEightTurns) {
    EXPECT_EQ(turned(1), "abc/def");
    EXPECT_EQ(turned(2), "cba/fed");        // mirrored
    EXPECT_EQ(turned(3), "fed/cba");        // 180°
    EXPECT_EQ(turned(4), "def/abc");        // flipped
    EXPECT_EQ(turned(5), "ad/be/cf");       // transposed
    EXPECT_EQ(turned(6), "da/eb/fc");       // 90° clockwise
    EXPECT_EQ(turned(7), "fc/eb/da");       // transversed
    EXPECT_EQ(turned(8), "cf/be/ad");       // 90° counter-clockwise
    EXPECT_EQ(turned(0), "abc/def");
}

} // namespace
