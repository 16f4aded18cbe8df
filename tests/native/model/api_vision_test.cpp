// The C ABI of pxl_vision_encode: argument checks, statuses and messages, on the converted tiny
// model of the test data (PIXELLM_TEST_DATA, as ./build.sh test prepares it; skipped without it).
// Numerics are compared with the reference in the managed parity tests.
#include "pixellm.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace pxl::test {
namespace {

bool last_error_contains(const std::string& part) { return std::string(pxl_last_error()).find(part) != std::string::npos; }

struct api_vision_fixture : ::testing::Test {
    pxl_pixel_model* model = nullptr;
    pxl_pixel_context* context = nullptr;
    pxl_pixel_model_info info{};

    void SetUp() override {
        const char* data = std::getenv("PIXELLM_TEST_DATA");
        const std::filesystem::path path =
            std::filesystem::path(data != nullptr ? data : "") / "gguf" / "tiny-f32" / "pixel.gguf";
        if (data == nullptr || !std::filesystem::exists(path))
            GTEST_SKIP() << "PIXELLM_TEST_DATA does not hold gguf/tiny-f32/pixel.gguf (./build.sh test prepares it)";
        ASSERT_EQ(pxl_pixel_model_load(path.c_str(), nullptr, &model), PXL_STATUS_OK) << pxl_last_error();
        pxl_pixel_context_params params = pxl_pixel_context_default_params();
        params.n_threads = 2;
        ASSERT_EQ(pxl_pixel_context_create(model, &params, &context), PXL_STATUS_OK) << pxl_last_error();
        info.struct_size = sizeof info;
        ASSERT_EQ(pxl_pixel_model_get_info(model, &info), PXL_STATUS_OK);
    }
    void TearDown() override {
        pxl_pixel_context_free(context);
        pxl_pixel_model_free(model);
    }

    size_t pixel_count() const { return 3 * static_cast<size_t>(info.image_size) * static_cast<size_t>(info.image_size); }
};

TEST_F(api_vision_fixture, WritesTheImageTokensAndSkipsNullOutputs) {
    std::vector<float> pixels(pixel_count(), 0.25f);
    std::vector<float> tokens(static_cast<size_t>(info.image_token_grid * info.image_token_grid * info.llm_n_embd), -1.0f);
    pxl_vision_outputs out{};
    out.struct_size = sizeof out;
    out.image_tokens = tokens.data();
    ASSERT_EQ(pxl_vision_encode(context, pixels.data(), info.image_size, info.image_size / 2, &out), PXL_STATUS_OK)
        << pxl_last_error();
    for (float v : tokens) ASSERT_NE(v, -1.0f);
}

TEST_F(api_vision_fixture, RejectsBadArgumentsWithAMessage) {
    std::vector<float> pixels(pixel_count(), 0.0f);
    std::vector<float> tokens(static_cast<size_t>(info.image_token_grid * info.image_token_grid * info.llm_n_embd));
    pxl_vision_outputs out{};
    out.struct_size = sizeof out;
    out.image_tokens = tokens.data();
    EXPECT_EQ(pxl_vision_encode(nullptr, pixels.data(), 1, 1, &out), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(last_error_contains("context is NULL"));
    EXPECT_EQ(pxl_vision_encode(context, nullptr, 1, 1, &out), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(last_error_contains("pixels is NULL"));
    EXPECT_EQ(pxl_vision_encode(context, pixels.data(), 1, 1, nullptr), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(last_error_contains("outputs is NULL"));
    EXPECT_EQ(pxl_vision_encode(context, pixels.data(), 0, 1, &out), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(last_error_contains("valid_height is 0"));
    EXPECT_EQ(pxl_vision_encode(context, pixels.data(), 1, info.image_size + 1, &out), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(last_error_contains("valid_width is"));
    pxl_vision_outputs no_tokens = out;
    no_tokens.image_tokens = nullptr;
    EXPECT_EQ(pxl_vision_encode(context, pixels.data(), 1, 1, &no_tokens), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(last_error_contains("image_tokens is NULL"));
    pxl_vision_outputs small = out;
    small.struct_size = 4;
    EXPECT_NE(pxl_vision_encode(context, pixels.data(), 1, 1, &small), PXL_STATUS_OK);
    // Still usable after every refusal.
    EXPECT_EQ(pxl_vision_encode(context, pixels.data(), 1, 1, &out), PXL_STATUS_OK) << pxl_last_error();
}

TEST_F(api_vision_fixture, RefusesAnUnknownComputeType) {
    pxl_pixel_context_params params = pxl_pixel_context_default_params();
    EXPECT_EQ(params.vision_compute_type, PXL_COMPUTE_TYPE_F32);
    params.vision_compute_type = static_cast<pxl_compute_type>(9);
    pxl_pixel_context* other = nullptr;
    EXPECT_EQ(pxl_pixel_context_create(model, &params, &other), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(other, nullptr);
    EXPECT_TRUE(last_error_contains("vision_compute_type is 9"));
}

// BF16 runs only at the avx512 level; the avx2 and scalar runs of the suite (PIXELLM_ISA) see the refusal.
TEST_F(api_vision_fixture, Bf16ComputeNeedsTheAvx512Level) {
    pxl_pixel_context_params params = pxl_pixel_context_default_params();
    params.n_threads = 1;
    params.vision_compute_type = PXL_COMPUTE_TYPE_BF16;
    pxl_pixel_context* other = nullptr;
    const pxl_status status = pxl_pixel_context_create(model, &params, &other);
    if (pxl_cpu_active_isa() == PXL_CPU_ISA_AVX512) {
        EXPECT_EQ(status, PXL_STATUS_OK) << pxl_last_error();
    } else {
        EXPECT_EQ(status, PXL_STATUS_UNSUPPORTED);
        EXPECT_TRUE(last_error_contains("BF16 vision compute needs AVX512_BF16"));
        EXPECT_EQ(other, nullptr);
    }
    pxl_pixel_context_free(other);
}

} // namespace
} // namespace pxl::test
