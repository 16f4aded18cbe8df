// C ABI: pxl_cpu_* and pxl_tensor_type_* / pxl_tensor_(de)quantize, including argument checks.
#include "core/last_error.h"
#include "cpu/cpu_features.h"
#include "pixellm.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace pxl::test {
namespace {

// The status of a call plus a check that the thread's message names `needle`.
void expect_failure(pxl_status status, pxl_status expected, const char* needle) {
    EXPECT_EQ(status, expected) << "status " << static_cast<int>(status);
    EXPECT_NE(std::string(pxl::last_error()).find(needle), std::string::npos)
        << "message \"" << pxl::last_error() << "\" does not name " << needle;
}

TEST(api_cpu, reports_levels_names_and_cores) {
    EXPECT_EQ(pxl_cpu_best_isa(), cpu::best_isa());
    EXPECT_EQ(pxl_cpu_active_isa(), cpu::choose_isa(std::getenv("PIXELLM_ISA"), cpu::best_isa()).isa);
    EXPECT_STREQ(pxl_cpu_isa_name(PXL_CPU_ISA_SCALAR), "scalar");
    EXPECT_STREQ(pxl_cpu_isa_name(PXL_CPU_ISA_AVX2), "avx2");
    EXPECT_STREQ(pxl_cpu_isa_name(PXL_CPU_ISA_AVX512), "avx512");
    EXPECT_STREQ(pxl_cpu_isa_name(static_cast<pxl_cpu_isa>(3)), "unknown");
    EXPECT_GE(pxl_cpu_physical_cores(), 1);
}

TEST(api_tensor_type, names_and_layouts) {
    EXPECT_STREQ(pxl_tensor_type_name(PXL_TENSOR_TYPE_Q4_0), "q4_0");
    EXPECT_STREQ(pxl_tensor_type_name(PXL_TENSOR_TYPE_BF16), "bf16");
    EXPECT_EQ(pxl_tensor_type_name(4), nullptr);  // retired Q4_2
    EXPECT_EQ(pxl_tensor_type_name(-1), nullptr);
    EXPECT_EQ(pxl_tensor_type_name(1000), nullptr);

    int64_t elements = 0, bytes = 0;
    ASSERT_EQ(pxl_tensor_type_layout(PXL_TENSOR_TYPE_Q8_0, &elements, &bytes), PXL_STATUS_OK);
    EXPECT_EQ(elements, 32);
    EXPECT_EQ(bytes, 34);
    ASSERT_EQ(pxl_tensor_type_layout(PXL_TENSOR_TYPE_F16, &elements, &bytes), PXL_STATUS_OK);
    EXPECT_EQ(elements, 1);
    EXPECT_EQ(bytes, 2);
    expect_failure(pxl_tensor_type_layout(5, &elements, &bytes), PXL_STATUS_UNSUPPORTED, "5");
    expect_failure(pxl_tensor_type_layout(0, nullptr, &bytes), PXL_STATUS_INVALID_ARGUMENT, "out_block_elements");
    expect_failure(pxl_tensor_type_layout(0, &elements, nullptr), PXL_STATUS_INVALID_ARGUMENT, "out_block_bytes");
}

TEST(api_tensor_type, convertible_types) {
    for (const int32_t type : {0, 1, 2, 8, 30}) EXPECT_EQ(pxl_tensor_type_is_convertible(type), 1) << type;
    for (const int32_t type : {3, 4, 6, 12, 24, 28, 39, -7, 1000}) EXPECT_EQ(pxl_tensor_type_is_convertible(type), 0) << type;
}

TEST(api_tensor_type, quantize_and_dequantize_a_q8_0_block) {
    float x[32] = {};
    x[0] = 127.0f;
    x[1] = -2.5f;
    uint8_t block[34] = {};
    ASSERT_EQ(pxl_tensor_quantize(PXL_TENSOR_TYPE_Q8_0, x, 32, block, sizeof block), PXL_STATUS_OK) << pxl::last_error();
    EXPECT_EQ(block[0], 0x00);  // d = 1 (f16 0x3c00, little-endian)
    EXPECT_EQ(block[1], 0x3c);
    EXPECT_EQ(static_cast<int8_t>(block[2]), 127);
    EXPECT_EQ(static_cast<int8_t>(block[3]), -3);
    float y[32];
    ASSERT_EQ(pxl_tensor_dequantize(PXL_TENSOR_TYPE_Q8_0, block, sizeof block, y, 32), PXL_STATUS_OK);
    EXPECT_EQ(y[0], 127.0f);
    EXPECT_EQ(y[1], -3.0f);
    EXPECT_EQ(y[2], 0.0f);
}

TEST(api_tensor_type, every_convertible_type_round_trips) {
    std::vector<float> x(64);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i) * 0.25f - 8.0f;
    for (const pxl_tensor_type type : {PXL_TENSOR_TYPE_F32, PXL_TENSOR_TYPE_F16, PXL_TENSOR_TYPE_BF16,
                                       PXL_TENSOR_TYPE_Q8_0, PXL_TENSOR_TYPE_Q4_0}) {
        SCOPED_TRACE(pxl_tensor_type_name(type));
        int64_t elements = 0, bytes = 0;
        ASSERT_EQ(pxl_tensor_type_layout(type, &elements, &bytes), PXL_STATUS_OK);
        std::vector<uint8_t> stored(static_cast<size_t>(64 / elements * bytes));
        std::vector<float> y(64);
        ASSERT_EQ(pxl_tensor_quantize(type, x.data(), 64, stored.data(), stored.size()), PXL_STATUS_OK);
        ASSERT_EQ(pxl_tensor_dequantize(type, stored.data(), stored.size(), y.data(), 64), PXL_STATUS_OK);
        for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(y[i], x[i], 0.6f) << i;  // Q4_0 step is 1 here
    }
}

TEST(api_tensor_type, zero_count_accepts_null_buffers) {
    EXPECT_EQ(pxl_tensor_quantize(PXL_TENSOR_TYPE_Q4_0, nullptr, 0, nullptr, 0), PXL_STATUS_OK);
    EXPECT_EQ(pxl_tensor_dequantize(PXL_TENSOR_TYPE_F16, nullptr, 0, nullptr, 0), PXL_STATUS_OK);
}

TEST(api_tensor_type, quantize_rejects_bad_arguments) {
    float x[64] = {};
    uint8_t out[68] = {};
    expect_failure(pxl_tensor_quantize(PXL_TENSOR_TYPE_Q4_1, x, 32, out, sizeof out), PXL_STATUS_UNSUPPORTED, "q4_1");
    expect_failure(pxl_tensor_quantize(static_cast<pxl_tensor_type>(5), x, 32, out, sizeof out), PXL_STATUS_UNSUPPORTED,
                   "type 5");
    expect_failure(pxl_tensor_quantize(PXL_TENSOR_TYPE_Q8_0, nullptr, 32, out, sizeof out), PXL_STATUS_INVALID_ARGUMENT,
                   "src");
    expect_failure(pxl_tensor_quantize(PXL_TENSOR_TYPE_Q8_0, x, 32, nullptr, sizeof out), PXL_STATUS_INVALID_ARGUMENT,
                   "dst");
    expect_failure(pxl_tensor_quantize(PXL_TENSOR_TYPE_Q8_0, x, 33, out, sizeof out), PXL_STATUS_INVALID_ARGUMENT, "count");
    expect_failure(pxl_tensor_quantize(PXL_TENSOR_TYPE_Q8_0, x, 64, out, 67), PXL_STATUS_BUFFER_TOO_SMALL, "dst_bytes");
    expect_failure(pxl_tensor_quantize(PXL_TENSOR_TYPE_F32, x, UINT64_MAX / 2, out, sizeof out),
                   PXL_STATUS_INVALID_ARGUMENT, "count");
    EXPECT_EQ(pxl_tensor_quantize(PXL_TENSOR_TYPE_Q8_0, x, 64, out, 68), PXL_STATUS_OK);
}

TEST(api_tensor_type, dequantize_rejects_bad_arguments) {
    uint8_t in[36] = {};
    float y[32];
    expect_failure(pxl_tensor_dequantize(PXL_TENSOR_TYPE_Q6_K, in, sizeof in, y, 32), PXL_STATUS_UNSUPPORTED, "q6_K");
    expect_failure(pxl_tensor_dequantize(PXL_TENSOR_TYPE_Q4_0, nullptr, sizeof in, y, 32), PXL_STATUS_INVALID_ARGUMENT,
                   "src");
    expect_failure(pxl_tensor_dequantize(PXL_TENSOR_TYPE_Q4_0, in, sizeof in, nullptr, 32), PXL_STATUS_INVALID_ARGUMENT,
                   "dst");
    expect_failure(pxl_tensor_dequantize(PXL_TENSOR_TYPE_Q4_0, in, sizeof in, y, 16), PXL_STATUS_INVALID_ARGUMENT, "count");
    expect_failure(pxl_tensor_dequantize(PXL_TENSOR_TYPE_Q4_0, in, 17, y, 32), PXL_STATUS_INVALID_ARGUMENT, "src_bytes");
    expect_failure(pxl_tensor_dequantize(PXL_TENSOR_TYPE_F16, in, sizeof in, y, 19), PXL_STATUS_INVALID_ARGUMENT,
                   "src_bytes");
    EXPECT_EQ(pxl_tensor_dequantize(PXL_TENSOR_TYPE_F16, in, sizeof in, y, 18), PXL_STATUS_OK);
}

TEST(api_tensor_type, failure_message_belongs_to_the_failing_thread) {
    expect_failure(pxl_tensor_quantize(PXL_TENSOR_TYPE_Q8_0, nullptr, 32, nullptr, 0), PXL_STATUS_INVALID_ARGUMENT, "src");
    std::string other;
    std::thread([&other] { other = pxl::last_error(); }).join();
    EXPECT_EQ(other, "");
}

} // namespace
} // namespace pxl::test
