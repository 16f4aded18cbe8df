// The image calls of the C ABI: statuses and messages for bad arguments, nothing returned on
// failure, and the CLIP preprocessing's bookkeeping (spec §2.2, §2.5).
#include "pixellm.h"
#include "test_encoders.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

struct image_deleter {
    void operator()(pxl_image* image) const { pxl_image_free(image); }
};
using image_ptr = std::unique_ptr<pxl_image, image_deleter>;

image_ptr from_rgb(const std::vector<uint8_t>& rgb, int width, int height) {
    pxl_image* image = nullptr;
    EXPECT_EQ(pxl_image_from_rgb24(rgb.data(), rgb.size(), width, height, nullptr, &image), PXL_STATUS_OK) << pxl_last_error();
    return image_ptr(image);
}

struct preprocessed {
    std::vector<float> pixels = std::vector<float>(3 * 448 * 448);
    std::vector<uint8_t> patch = std::vector<uint8_t>(32 * 32);
    std::vector<uint8_t> token = std::vector<uint8_t>(16 * 16);
    char key[65] = {};
    pxl_image_preprocess_output out{};

    preprocessed() {
        out.struct_size = sizeof out;
        out.pixels = pixels.data();
        out.pixels_count = pixels.size();
        out.patch_valid = patch.data();
        out.patch_valid_count = patch.size();
        out.token_valid = token.data();
        out.token_valid_count = token.size();
        out.cache_key = key;
        out.cache_key_capacity = sizeof key;
    }
};

TEST(ApiImage, DecodeRefusesBadArgumentsAndReturnsNothing) {
    pxl_image* image = reinterpret_cast<pxl_image*>(0x1);
    EXPECT_EQ(pxl_image_decode(nullptr, 10, nullptr, &image), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(image, nullptr);
    EXPECT_EQ(pxl_image_decode("x", 1, nullptr, nullptr), PXL_STATUS_INVALID_ARGUMENT);
    image = reinterpret_cast<pxl_image*>(0x1);
    EXPECT_EQ(pxl_image_decode("", 0, nullptr, &image), PXL_STATUS_INVALID_FORMAT);
    EXPECT_EQ(image, nullptr);
    EXPECT_NE(std::string(pxl_last_error()).find("empty"), std::string::npos) << pxl_last_error();
    pxl_image_decode_params params = pxl_image_default_decode_params();
    params.alpha_mode = 7;
    EXPECT_EQ(pxl_image_decode("x", 1, &params, &image), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(pxl_last_error()).find("alpha_mode"), std::string::npos);
    params = pxl_image_default_decode_params();
    params.struct_size = 8;
    EXPECT_EQ(pxl_image_decode("x", 1, &params, &image), PXL_STATUS_INVALID_ARGUMENT);
    pxl_image_free(nullptr);
}

TEST(ApiImage, DefaultsAreTheDocumentedOnes) {
    const pxl_image_decode_params d = pxl_image_default_decode_params();
    EXPECT_EQ(d.struct_size, sizeof d);
    EXPECT_EQ(d.max_pixels, 64'000'000);
    EXPECT_EQ(d.max_side, 16384);
    EXPECT_EQ(d.apply_exif_orientation, 1);
    EXPECT_EQ(d.alpha_mode, PXL_IMAGE_ALPHA_DROP);
    const pxl_image_preprocess_params p = pxl_image_default_preprocess_params();
    EXPECT_EQ(p.image_size, 448);
    EXPECT_EQ(p.patch_size, 14);
    EXPECT_EQ(p.token_grid, 16);
    EXPECT_FLOAT_EQ(p.mean_r, 123.675f);
    EXPECT_FLOAT_EQ(p.std_b, 57.375f);
}

TEST(ApiImage, FromRgb24ChecksSizeAndLimits) {
    const std::vector<uint8_t> rgb = pxl_test::synthetic_rgb(5, 3);
    pxl_image* image = nullptr;
    EXPECT_EQ(pxl_image_from_rgb24(rgb.data(), rgb.size() - 1, 5, 3, nullptr, &image), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(pxl_last_error()).find("44 bytes; a 5x3 RGB24 image has 45"), std::string::npos) << pxl_last_error();
    EXPECT_EQ(pxl_image_from_rgb24(rgb.data(), rgb.size(), 0, 3, nullptr, &image), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(pxl_image_from_rgb24(rgb.data(), rgb.size(), 5, -3, nullptr, &image), PXL_STATUS_INVALID_ARGUMENT);
    // 2^31-1 squared overflows 32 bits (and 64 after * 3 in careless code): refused by the limits.
    EXPECT_EQ(pxl_image_from_rgb24(rgb.data(), rgb.size(), INT32_MAX, INT32_MAX, nullptr, &image), PXL_STATUS_UNSUPPORTED);
    EXPECT_EQ(image, nullptr);
    pxl_image_decode_params tight = pxl_image_default_decode_params();
    tight.max_pixels = 14;
    EXPECT_EQ(pxl_image_from_rgb24(rgb.data(), rgb.size(), 5, 3, &tight, &image), PXL_STATUS_UNSUPPORTED);

    image_ptr ok = from_rgb(rgb, 5, 3);
    pxl_image_info info{};
    info.struct_size = sizeof info;
    ASSERT_EQ(pxl_image_get_info(ok.get(), &info), PXL_STATUS_OK);
    EXPECT_EQ(info.width, 5);
    EXPECT_EQ(info.height, 3);
    EXPECT_EQ(info.format, PXL_IMAGE_FORMAT_RGB24);
    EXPECT_EQ(info.exif_orientation, 1);
    const uint8_t* pixels = nullptr;
    uint64_t size = 0;
    ASSERT_EQ(pxl_image_pixels(ok.get(), &pixels, &size), PXL_STATUS_OK);
    EXPECT_EQ(std::vector<uint8_t>(pixels, pixels + size), rgb);
}

TEST(ApiImage, PreprocessMatchesTheSpecExample) {
    // A 640x480 image gives (h', w') = (336, 448): patch rows 0..23 and token rows 0..11 valid (§2.5).
    image_ptr image = from_rgb(pxl_test::synthetic_rgb(640, 480), 640, 480);
    preprocessed p;
    ASSERT_EQ(pxl_image_preprocess(image.get(), nullptr, &p.out), PXL_STATUS_OK) << pxl_last_error();
    EXPECT_EQ(p.out.resized_width, 448);
    EXPECT_EQ(p.out.resized_height, 336);
    EXPECT_EQ(p.out.original_width, 640);
    EXPECT_EQ(p.out.original_height, 480);
    for (int i = 0; i < 32; ++i)
        for (int j = 0; j < 32; ++j) EXPECT_EQ(p.patch[i * 32 + j], i < 24 ? 1 : 0) << i << "," << j;
    for (int u = 0; u < 16; ++u)
        for (int v = 0; v < 16; ++v) EXPECT_EQ(p.token[u * 16 + v], u < 12 ? 1 : 0);
    for (int c = 0; c < 3; ++c)
        for (int y = 336; y < 448; ++y) ASSERT_EQ(p.pixels[(c * 448 + y) * 448 + 7], 0.0f);  // padding
    EXPECT_EQ(std::string(p.key).size(), 64u);

    // A constant image normalises to (v - mean) / std exactly.
    image_ptr flat = from_rgb(std::vector<uint8_t>(30 * 20 * 3, 200), 30, 20);
    preprocessed q;
    ASSERT_EQ(pxl_image_preprocess(flat.get(), nullptr, &q.out), PXL_STATUS_OK);
    EXPECT_EQ(q.pixels[0], (200.0f - 123.675f) / 58.395f);
    EXPECT_EQ(q.pixels[2 * 448 * 448 + 5 * 448 + 9], (200.0f - 103.53f) / 57.375f);
}

TEST(ApiImage, CacheKeyFollowsPixelsAndParameters) {
    std::vector<uint8_t> rgb = pxl_test::synthetic_rgb(33, 17);
    auto key_of = [](const pxl_image* image, const pxl_image_preprocess_params* params) {
        preprocessed p;
        EXPECT_EQ(pxl_image_preprocess(image, params, &p.out), PXL_STATUS_OK) << pxl_last_error();
        return std::string(p.key);
    };
    image_ptr a = from_rgb(rgb, 33, 17);
    image_ptr same = from_rgb(rgb, 33, 17);
    rgb[100] ^= 1;
    image_ptr changed = from_rgb(rgb, 33, 17);
    EXPECT_EQ(key_of(a.get(), nullptr), key_of(same.get(), nullptr));
    EXPECT_NE(key_of(a.get(), nullptr), key_of(changed.get(), nullptr));
    pxl_image_preprocess_params params = pxl_image_default_preprocess_params();
    params.mean_g = 116.0f;
    EXPECT_NE(key_of(a.get(), nullptr), key_of(a.get(), &params));
}

TEST(ApiImage, PreprocessRefusesWrongBuffersAndThinImages) {
    image_ptr image = from_rgb(pxl_test::synthetic_rgb(8, 8), 8, 8);
    preprocessed p;
    p.out.patch_valid_count = 1023;
    EXPECT_EQ(pxl_image_preprocess(image.get(), nullptr, &p.out), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(pxl_last_error()).find("patch_valid_count is 1023; expected 1024"), std::string::npos) << pxl_last_error();
    preprocessed q;
    q.out.cache_key_capacity = 64;
    EXPECT_EQ(pxl_image_preprocess(image.get(), nullptr, &q.out), PXL_STATUS_INVALID_ARGUMENT);
    pxl_image_preprocess_params params = pxl_image_default_preprocess_params();
    params.patch_size = 15;
    preprocessed r;
    EXPECT_EQ(pxl_image_preprocess(image.get(), &params, &r.out), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(pxl_last_error()).find("patch_size"), std::string::npos);

    image_ptr thin = from_rgb(std::vector<uint8_t>(1 * 1000 * 3, 9), 1, 1000);
    preprocessed s;
    EXPECT_EQ(pxl_image_preprocess(thin.get(), nullptr, &s.out), PXL_STATUS_UNSUPPORTED);
    EXPECT_NE(std::string(pxl_last_error()).find("too thin"), std::string::npos) << pxl_last_error();
}

TEST(ApiImage, ResizeMakesANewImage) {
    image_ptr image = from_rgb(pxl_test::synthetic_rgb(9, 4), 9, 4);
    pxl_image* resized = nullptr;
    ASSERT_EQ(pxl_image_resize(image.get(), 3, 11, &resized), PXL_STATUS_OK);
    image_ptr owned(resized);
    pxl_image_info info{};
    info.struct_size = sizeof info;
    ASSERT_EQ(pxl_image_get_info(resized, &info), PXL_STATUS_OK);
    EXPECT_EQ(info.width, 3);
    EXPECT_EQ(info.height, 11);
    EXPECT_EQ(pxl_image_resize(image.get(), 0, 11, &resized), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(resized, nullptr);
}

} // namespace
