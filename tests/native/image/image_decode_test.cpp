// The decoder entry point on good and bad input: every colour type, EXIF, limits checked before
// allocation, truncated / lying / damaged / unsupported files refused with the right status.
#include "core/error.h"
#include "image/image_decode.h"
#include "test_encoders.h"

#include <gtest/gtest.h>
#include <png.h>

#include <string>

namespace {

using pxl_test::encode_jpeg;
using pxl_test::encode_png;

pxl::decoded_image decode(const std::vector<uint8_t>& data, const pxl::decode_options& options = {}) {
    return pxl::decode_image(data.data(), data.size(), options);
}

// Decoding fails with `status` and a message containing `words`.
void expect_refused(const std::vector<uint8_t>& data, pxl_status status, const std::string& words,
                    const pxl::decode_options& options = {}) {
    try {
        decode(data, options);
        ADD_FAILURE() << "decoded; expected " << pxl_status_name(status) << " mentioning '" << words << "'";
    } catch (const pxl::error& e) {
        EXPECT_EQ(e.status(), status) << e.what();
        EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
}

TEST(ImageDecode, JpegRgbRoundTripsClosely) {
    std::vector<uint8_t> rgb(37 * 21 * 3);  // smooth gradients: what JPEG keeps well
    for (int y = 0; y < 21; ++y)
        for (int x = 0; x < 37; ++x)
            for (int c = 0; c < 3; ++c) rgb[(y * 37 + x) * 3 + c] = static_cast<uint8_t>(40 + 4 * x + 3 * y * c);
    const pxl::decoded_image d = decode(encode_jpeg(rgb, 37, 21, 3, 100));
    ASSERT_EQ(d.image.width, 37);
    ASSERT_EQ(d.image.height, 21);
    EXPECT_EQ(d.format, PXL_IMAGE_FORMAT_JPEG);
    double total = 0;
    for (size_t i = 0; i < rgb.size(); ++i) total += std::abs(int{d.image.pixels[i]} - int{rgb[i]});
    // Lossy (4:2:0 chroma); exactness against Pillow's decoding of the same file is ImageParityTests' job.
    EXPECT_LE(total / static_cast<double>(rgb.size()), 2.0);
}

TEST(ImageDecode, GreyJpegExpandsToThreeEqualChannels) {
    std::vector<uint8_t> grey(19 * 5);
    for (size_t i = 0; i < grey.size(); ++i) grey[i] = static_cast<uint8_t>(i * 3);
    const pxl::decoded_image d = decode(encode_jpeg(grey, 19, 5, 1));
    for (size_t i = 0; i < grey.size(); ++i) {
        EXPECT_EQ(d.image.pixels[3 * i], d.image.pixels[3 * i + 1]);
        EXPECT_EQ(d.image.pixels[3 * i], d.image.pixels[3 * i + 2]);
    }
}

TEST(ImageDecode, JpegExifOrientationIsAppliedUnlessDisabled) {
    const std::vector<uint8_t> jpeg = encode_jpeg(pxl_test::synthetic_rgb(40, 16), 40, 16, 3, 90, pxl_test::exif_with_orientation(6));
    const pxl::decoded_image turned = decode(jpeg);
    EXPECT_EQ(turned.exif_orientation, 6);
    EXPECT_EQ(turned.image.width, 16);
    EXPECT_EQ(turned.image.height, 40);
    pxl::decode_options keep;
    keep.apply_exif_orientation = false;
    const pxl::decoded_image stored = decode(jpeg, keep);
    EXPECT_EQ(stored.exif_orientation, 6);
    EXPECT_EQ(stored.image.width, 40);
    // Output pixel (x, y) of a 90° clockwise turn is stored pixel (y, H-1-x).
    EXPECT_EQ(turned.image.row(3)[3 * 5], stored.image.row(16 - 1 - 5)[3 * 3]);
}

TEST(ImageDecode, CmykJpegIsRefusedClearly) {
    std::vector<uint8_t> cmyk(8 * 8 * 4, 100);
    expect_refused(encode_jpeg(cmyk, 8, 8, 4), PXL_STATUS_UNSUPPORTED, "CMYK");
}

TEST(ImageDecode, TwelveBitJpegIsRefusedClearly) {
    std::vector<uint8_t> jpeg = encode_jpeg(pxl_test::synthetic_rgb(16, 16), 16, 16, 3);
    pxl_test::patch_jpeg_sof(jpeg, 16, 16, 12);
    expect_refused(jpeg, PXL_STATUS_UNSUPPORTED, "12-bit");
}

TEST(ImageDecode, LosslessJpegIsRefusedAsUnsupported) {
    std::vector<uint8_t> jpeg = encode_jpeg(pxl_test::synthetic_rgb(16, 16), 16, 16, 3);
    for (size_t i = 2; i + 1 < jpeg.size(); ++i)
        if (jpeg[i] == 0xff && jpeg[i + 1] == 0xc0) {
            jpeg[i + 1] = 0xc3;  // SOF3: lossless (Huffman)
            break;
        }
    expect_refused(jpeg, PXL_STATUS_UNSUPPORTED, "not supported");
}

TEST(ImageDecode, TruncatedJpegIsRefused) {
    std::vector<uint8_t> jpeg = encode_jpeg(pxl_test::synthetic_rgb(64, 64), 64, 64, 3);
    jpeg.resize(jpeg.size() / 2);
    expect_refused(jpeg, PXL_STATUS_INVALID_FORMAT, "truncated");
    jpeg.resize(3);
    expect_refused(jpeg, PXL_STATUS_INVALID_FORMAT, "JPEG");
}

TEST(ImageDecode, JpegSizesAreCheckedFromTheHeaderBeforeAllocation) {
    std::vector<uint8_t> jpeg = encode_jpeg(pxl_test::synthetic_rgb(16, 16), 16, 16, 3);
    std::vector<uint8_t> wide = jpeg;
    pxl_test::patch_jpeg_sof(wide, 20000, 16);
    expect_refused(wide, PXL_STATUS_UNSUPPORTED, "max_side");
    std::vector<uint8_t> bomb = jpeg;
    pxl_test::patch_jpeg_sof(bomb, 10000, 9000);  // 90 megapixels claimed by a few hundred bytes
    expect_refused(bomb, PXL_STATUS_UNSUPPORTED, "megapixels");
    std::vector<uint8_t> empty = jpeg;
    pxl_test::patch_jpeg_sof(empty, 16, 0);
    expect_refused(empty, PXL_STATUS_INVALID_FORMAT, "JPEG");
    pxl::decode_options small;
    small.limits.max_pixels = 255;
    expect_refused(jpeg, PXL_STATUS_UNSUPPORTED, "max_pixels", small);
}

TEST(ImageDecode, PngRgbAndGreyAreExact) {
    const std::vector<uint8_t> rgb = pxl_test::synthetic_rgb(13, 7);
    EXPECT_EQ(decode(encode_png(rgb, 13, 7, PNG_COLOR_TYPE_RGB, 8)).image.pixels, rgb);
    std::vector<uint8_t> grey(13 * 7);
    for (size_t i = 0; i < grey.size(); ++i) grey[i] = static_cast<uint8_t>(i * 5);
    const pxl::decoded_image d = decode(encode_png(grey, 13, 7, PNG_COLOR_TYPE_GRAY, 8));
    for (size_t i = 0; i < grey.size(); ++i) ASSERT_EQ(d.image.pixels[3 * i + 1], grey[i]);
}

TEST(ImageDecode, SixteenBitPngKeepsTheHighByte) {
    std::vector<uint8_t> grey16 = {0x12, 0x34, 0xab, 0xcd, 0xff, 0x01};  // 3 x 1, big-endian samples
    const pxl::decoded_image d = decode(encode_png(grey16, 3, 1, PNG_COLOR_TYPE_GRAY, 16));
    EXPECT_EQ(d.bits_per_channel, 16);
    EXPECT_EQ(d.image.pixels, (std::vector<uint8_t>{0x12, 0x12, 0x12, 0xab, 0xab, 0xab, 0xff, 0xff, 0xff}));
}

TEST(ImageDecode, LowBitDepthsAndPalettesExpand) {
    const pxl::decoded_image bilevel = decode(encode_png({0xa0}, 3, 1, PNG_COLOR_TYPE_GRAY, 1));  // 1 0 1
    EXPECT_EQ(bilevel.image.pixels, (std::vector<uint8_t>{255, 255, 255, 0, 0, 0, 255, 255, 255}));
    const pxl::decoded_image nibbles = decode(encode_png({0x1f}, 2, 1, PNG_COLOR_TYPE_GRAY, 4));
    EXPECT_EQ(nibbles.image.pixels, (std::vector<uint8_t>{0x11, 0x11, 0x11, 0xff, 0xff, 0xff}));
    // The test palette maps index i to (i, 255 - i, i / 2).
    const pxl::decoded_image palette = decode(encode_png({7, 200}, 2, 1, PNG_COLOR_TYPE_PALETTE, 8));
    EXPECT_EQ(palette.image.pixels, (std::vector<uint8_t>{7, 248, 3, 200, 55, 100}));
}

TEST(ImageDecode, AlphaIsDroppedByDefaultOrComposited) {
    const std::vector<uint8_t> rgba = {200, 100, 0, 255, 200, 100, 0, 0, 200, 100, 0, 128};
    const std::vector<uint8_t> png = encode_png(rgba, 3, 1, PNG_COLOR_TYPE_RGB_ALPHA, 8);
    const pxl::decoded_image dropped = decode(png);
    EXPECT_TRUE(dropped.had_alpha);
    EXPECT_EQ(dropped.image.pixels, (std::vector<uint8_t>{200, 100, 0, 200, 100, 0, 200, 100, 0}));
    pxl::decode_options composite;
    composite.composite_alpha = true;
    composite.background[0] = 0;
    composite.background[1] = 0;
    composite.background[2] = 255;
    // a = 128: (200*128 + 0*127)/255 = 100.4 -> 100; (100*128)/255 = 50.2 -> 50; (255*127)/255 = 127.
    EXPECT_EQ(decode(png, composite).image.pixels, (std::vector<uint8_t>{200, 100, 0, 0, 0, 255, 100, 50, 127}));
    const std::vector<uint8_t> grey_alpha = encode_png({90, 0, 30, 255}, 2, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 8);
    EXPECT_EQ(decode(grey_alpha).image.pixels, (std::vector<uint8_t>{90, 90, 90, 30, 30, 30}));
}

TEST(ImageDecode, PngExifOrientationIsApplied) {
    const std::vector<uint8_t> png = encode_png(pxl_test::synthetic_rgb(5, 2), 5, 2, PNG_COLOR_TYPE_RGB, 8,
                                                pxl_test::exif_with_orientation(8));
    const pxl::decoded_image d = decode(png);
    EXPECT_EQ(d.exif_orientation, 8);
    EXPECT_EQ(d.image.width, 2);
    EXPECT_EQ(d.image.height, 5);
}

TEST(ImageDecode, PngThatLiesAboutItsSizeIsRefused) {
    const std::vector<uint8_t> png = encode_png(pxl_test::synthetic_rgb(8, 8), 8, 8, PNG_COLOR_TYPE_RGB, 8);
    std::vector<uint8_t> larger = png;
    pxl_test::patch_png_size(larger, 16, 16);
    expect_refused(larger, PXL_STATUS_INVALID_FORMAT, "PNG");
    std::vector<uint8_t> bomb = png;
    pxl_test::patch_png_size(bomb, 100000, 100000);
    expect_refused(bomb, PXL_STATUS_UNSUPPORTED, "max_side");
    std::vector<uint8_t> zero = png;
    pxl_test::patch_png_size(zero, 0, 8);
    expect_refused(zero, PXL_STATUS_INVALID_FORMAT, "PNG");
}

TEST(ImageDecode, TruncatedPngIsRefused) {
    std::vector<uint8_t> png = encode_png(pxl_test::synthetic_rgb(32, 32), 32, 32, PNG_COLOR_TYPE_RGB, 8);
    png.resize(png.size() * 2 / 3);
    expect_refused(png, PXL_STATUS_INVALID_FORMAT, "truncated");
    png.resize(20);
    expect_refused(png, PXL_STATUS_INVALID_FORMAT, "truncated");
}

TEST(ImageDecode, EmptyAndForeignDataAreRefusedWithTheSupportedFormats) {
    expect_refused({}, PXL_STATUS_INVALID_FORMAT, "empty");
    expect_refused({'G', 'I', 'F', '8', '9', 'a', 1, 0}, PXL_STATUS_UNSUPPORTED, "GIF images are not supported; supported formats are JPEG and PNG");
    expect_refused({'B', 'M', 0, 0}, PXL_STATUS_UNSUPPORTED, "BMP");
    expect_refused({'h', 'e', 'l', 'l', 'o'}, PXL_STATUS_UNSUPPORTED, "unrecognised image data (it starts with 68 65 6c 6c 6f)");
}

// Damaged files never crash (the sanitizer run checks memory too): each either decodes or is
// refused as invalid.
TEST(ImageDecode, DamagedBytesAreDecodedOrRefusedNeverCrash) {
    const std::vector<std::vector<uint8_t>> sources = {
        encode_jpeg(pxl_test::synthetic_rgb(24, 16), 24, 16, 3),
        encode_png(pxl_test::synthetic_rgb(24, 16), 24, 16, PNG_COLOR_TYPE_RGB, 8),
    };
    uint32_t state = 12345;
    for (const std::vector<uint8_t>& source : sources)
        for (int trial = 0; trial < 200; ++trial) {
            std::vector<uint8_t> data = source;
            for (int flips = 0; flips < 1 + trial % 4; ++flips) {
                state = state * 1664525u + 1013904223u;
                data[4 + (state >> 8) % (data.size() - 4)] ^= static_cast<uint8_t>(1 + (state >> 24) % 255);
            }
            try {
                const pxl::decoded_image d = decode(data);
                EXPECT_EQ(d.image.pixels.size(), static_cast<size_t>(d.image.width) * d.image.height * 3);
            } catch (const pxl::error& e) {
                EXPECT_TRUE(e.status() == PXL_STATUS_INVALID_FORMAT || e.status() == PXL_STATUS_UNSUPPORTED) << e.what();
            }
        }
}

} // namespace
