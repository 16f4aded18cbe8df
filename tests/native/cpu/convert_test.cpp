// cpu/convert.h: the dispatching entry points the format code uses.
#include "core/error.h"
#include "cpu/convert.h"
#include "cpu/kernels.h"
#include "cpu/test_data.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace pxl::test {
namespace {

TEST(convert, names_the_convertible_types) {
    for (const int32_t type : {PXL_TENSOR_TYPE_F32, PXL_TENSOR_TYPE_F16, PXL_TENSOR_TYPE_BF16, PXL_TENSOR_TYPE_Q8_0,
                               PXL_TENSOR_TYPE_Q4_0})
        EXPECT_TRUE(cpu::is_convertible(type)) << type;
    for (const int32_t type : {3, 12, 24, 28, -1, 4, 1000})  // Q4_1, Q4_K, I8, F64, unknown
        EXPECT_FALSE(cpu::is_convertible(type)) << type;
}

TEST(convert, f32_is_copied) {
    const std::vector<float> x = special_floats(37, 3);
    std::vector<float> y(37), z(37);
    cpu::from_f32(PXL_TENSOR_TYPE_F32, x.data(), y.data(), 37);
    cpu::to_f32(PXL_TENSOR_TYPE_F32, y.data(), z.data(), 37);
    EXPECT_EQ(std::memcmp(x.data(), z.data(), sizeof(float) * 37), 0);
}

// The entry points must produce what the active level's kernels (verified against scalar by the
// parity test) produce.
TEST(convert, dispatches_to_the_active_kernels) {
    const cpu::convert_kernels& k = *cpu::active_kernels().convert;
    const int64_t n = 32 * 9;
    const std::vector<float> x = gaussian_floats(n, 5);
    std::vector<uint8_t> expected(static_cast<size_t>(n) * 4), actual(static_cast<size_t>(n) * 4);
    std::vector<float> expected_back(n), actual_back(n);
    const struct {
        pxl_tensor_type type;
        decltype(&cpu::convert_kernels::f32_to_f16) encode;
        decltype(&cpu::convert_kernels::f16_to_f32) decode;
    } cases[] = {
        {PXL_TENSOR_TYPE_F16, &cpu::convert_kernels::f32_to_f16, &cpu::convert_kernels::f16_to_f32},
        {PXL_TENSOR_TYPE_BF16, &cpu::convert_kernels::f32_to_bf16, &cpu::convert_kernels::bf16_to_f32},
        {PXL_TENSOR_TYPE_Q8_0, &cpu::convert_kernels::f32_to_q8_0, &cpu::convert_kernels::q8_0_to_f32},
        {PXL_TENSOR_TYPE_Q4_0, &cpu::convert_kernels::f32_to_q4_0, &cpu::convert_kernels::q4_0_to_f32},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.type);
        (k.*c.encode)(x.data(), expected.data(), n);
        cpu::from_f32(c.type, x.data(), actual.data(), n);
        EXPECT_EQ(expected, actual);
        (k.*c.decode)(expected.data(), expected_back.data(), n);
        cpu::to_f32(c.type, expected.data(), actual_back.data(), n);
        EXPECT_EQ(std::memcmp(expected_back.data(), actual_back.data(), sizeof(float) * n), 0);
    }
}

TEST(convert, rejects_other_types_as_unsupported) {
    float x[32] = {};
    uint8_t bytes[64] = {};
    try {
        cpu::to_f32(PXL_TENSOR_TYPE_Q4_1, bytes, x, 32);
        FAIL() << "no exception";
    } catch (const pxl::error& e) {
        EXPECT_EQ(e.status(), PXL_STATUS_UNSUPPORTED);
    }
    try {
        cpu::from_f32(PXL_TENSOR_TYPE_Q6_K, x, bytes, 32);
        FAIL() << "no exception";
    } catch (const pxl::error& e) {
        EXPECT_EQ(e.status(), PXL_STATUS_UNSUPPORTED);
    }
}

// Encoded bytes at an odd address (a GGUF with general.alignment 1, a caller's byte buffer) give
// the same results as aligned ones, in both directions; 4096 + 96 values crosses the bounce chunk.
TEST(convert, handles_encoded_data_at_odd_addresses) {
    const int64_t n = 4096 + 96;
    const std::vector<float> x = gaussian_floats(n, 11);
    for (const pxl_tensor_type type : {PXL_TENSOR_TYPE_F16, PXL_TENSOR_TYPE_BF16, PXL_TENSOR_TYPE_Q8_0,
                                       PXL_TENSOR_TYPE_Q4_0}) {
        std::vector<uint8_t> aligned(static_cast<size_t>(n) * 2), odd(static_cast<size_t>(n) * 2 + 1);
        cpu::from_f32(type, x.data(), aligned.data(), n);
        cpu::from_f32(type, x.data(), odd.data() + 1, n);
        const size_t bytes = type == PXL_TENSOR_TYPE_Q8_0 ? static_cast<size_t>(n / 32 * 34)
                             : type == PXL_TENSOR_TYPE_Q4_0 ? static_cast<size_t>(n / 32 * 18)
                                                            : static_cast<size_t>(n) * 2;
        EXPECT_EQ(std::memcmp(aligned.data(), odd.data() + 1, bytes), 0) << "type " << type;
        std::vector<float> from_aligned(n), from_odd(n);
        cpu::to_f32(type, aligned.data(), from_aligned.data(), n);
        cpu::to_f32(type, odd.data() + 1, from_odd.data(), n);
        EXPECT_EQ(std::memcmp(from_aligned.data(), from_odd.data(), sizeof(float) * n), 0) << "type " << type;
    }
}

} // namespace
} // namespace pxl::test
