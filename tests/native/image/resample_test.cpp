// Pillow's antialiased BILINEAR resize. Bit-exactness against Pillow itself is the managed parity
// suite's job (ImageParityTests, on the reference's photo-like image set); these check the filter
// against values worked out by hand from its definition, and its invariants on odd shapes.
#include "image/image_limits.h"
#include "image/resample.h"
#include "test_encoders.h"

#include <gtest/gtest.h>

namespace {

pxl::rgb_image grey_row(std::initializer_list<uint8_t> values) {
    pxl::rgb_image image = pxl::allocate_rgb_image(static_cast<int32_t>(values.size()), 1);
    size_t i = 0;
    for (uint8_t v : values) image.pixels[3 * i] = image.pixels[3 * i + 1] = image.pixels[3 * i + 2] = v, ++i;
    return image;
}

TEST(Resample, DownscalingWidensTheTriangle) {
    // 4 -> 2: scale 2, support 2. Output 0 is centred on 1.0 and reads inputs 0..2 with weights
    // 0.75, 0.75, 0.25 (normalised to 3/7, 3/7, 1/7): 500/7 = 71.4 -> 71. Output 1: inputs 1..3 with
    // 1/7, 3/7, 3/7: 1465/7 = 209.3 -> 209. A 2-tap bilinear would give 50 and 227.
    const pxl::rgb_image out = pxl::resize_bilinear(grey_row({0, 100, 200, 255}), 2, 1);
    EXPECT_EQ(out.pixels[0], 71);
    EXPECT_EQ(out.pixels[3], 209);
}

TEST(Resample, UpscalingInterpolatesBetweenNeighbours) {
    // 2 -> 4: scale 0.5, support 1. Output 1 is centred on 0.75: weights 0.75 and 0.25 on inputs 0
    // and 1 give 50; output 2 mirrors it (150); the outer outputs read one input each.
    const pxl::rgb_image out = pxl::resize_bilinear(grey_row({0, 200}), 4, 1);
    EXPECT_EQ(out.pixels[0], 0);
    EXPECT_EQ(out.pixels[3], 50);
    EXPECT_EQ(out.pixels[6], 150);
    EXPECT_EQ(out.pixels[9], 200);
}

TEST(Resample, TapsAreNormalisedFixedPoint) {
    for (auto [in, out] : {std::pair{7, 3}, {3, 7}, {1, 448}, {448, 1}, {4000, 448}, {449, 448}, {13, 13}}) {
        const pxl::resample_taps taps = pxl::compute_bilinear_taps(in, out);
        for (int32_t o = 0; o < out; ++o) {
            int64_t sum = 0;
            for (int32_t i = 0; i < taps.count[o]; ++i) sum += taps.coeffs[static_cast<size_t>(o) * taps.ksize + i];
            EXPECT_NEAR(static_cast<double>(sum), 1 << pxl::k_resample_precision_bits, taps.ksize) << in << "->" << out;
            EXPECT_GE(taps.first[o], 0);
            EXPECT_LE(taps.first[o] + taps.count[o], in);
            EXPECT_LE(taps.count[o], taps.ksize);
        }
    }
}

TEST(Resample, ConstantImagesStayConstantAtOddSizes) {
    for (auto [w, h, w1, h1] : {std::array{17, 29, 263, 448}, {1, 50, 9, 448}, {50, 1, 448, 9}, {640, 480, 97, 33},
                                {5, 5, 1, 1}, {1, 1, 448, 448}, {31, 7, 31, 19}}) {
        pxl::rgb_image image = pxl::allocate_rgb_image(w, h);
        for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>(i % 3 == 0 ? 13 : (i % 3 == 1 ? 128 : 255));
        const pxl::rgb_image out = pxl::resize_bilinear(image, w1, h1);
        ASSERT_EQ(out.width, w1);
        ASSERT_EQ(out.height, h1);
        for (size_t i = 0; i < out.pixels.size(); ++i)
            ASSERT_EQ(out.pixels[i], image.pixels[i % 3]) << w << "x" << h << " -> " << w1 << "x" << h1 << " at " << i;
    }
}

TEST(Resample, SameSizeIsACopy) {
    pxl::rgb_image image = pxl::allocate_rgb_image(9, 4);
    image.pixels = pxl_test::synthetic_rgb(9, 4);
    EXPECT_EQ(pxl::resize_bilinear(image, 9, 4).pixels, image.pixels);
}

} // namespace
