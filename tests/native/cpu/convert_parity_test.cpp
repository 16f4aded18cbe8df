// Every conversion kernel of every level against the scalar reference, bit for bit, over odd
// lengths, misaligned buffers and hostile values. Guard bytes after each output catch tails that
// write past the end.
#include "cpu/isa_levels.h"
#include "cpu/kernels.h"
#include "cpu/test_data.h"

#include <gtest/gtest.h>

#include <cstring>
#include <ostream>
#include <string>
#include <vector>

namespace pxl::test {
namespace {

using cpu::convert_kernels;
using to_f32_kernel = decltype(&convert_kernels::f16_to_f32);
using from_f32_kernel = decltype(&convert_kernels::f32_to_f16);

struct conversion {
    const char* name;
    to_f32_kernel to_f32;      // set for dequantizers
    from_f32_kernel from_f32;  // set for quantizers
    int64_t block_elements;
    int64_t block_bytes;
};

const conversion k_conversions[] = {
    {"f16_to_f32", &convert_kernels::f16_to_f32, nullptr, 1, 2},
    {"bf16_to_f32", &convert_kernels::bf16_to_f32, nullptr, 1, 2},
    {"q8_0_to_f32", &convert_kernels::q8_0_to_f32, nullptr, 32, 34},
    {"q4_0_to_f32", &convert_kernels::q4_0_to_f32, nullptr, 32, 18},
    {"f32_to_f16", nullptr, &convert_kernels::f32_to_f16, 1, 2},
    {"f32_to_bf16", nullptr, &convert_kernels::f32_to_bf16, 1, 2},
    {"f32_to_q8_0", nullptr, &convert_kernels::f32_to_q8_0, 32, 34},
    {"f32_to_q4_0", nullptr, &convert_kernels::f32_to_q4_0, 32, 18},
};

// Names the conversion in gtest's failure messages instead of dumping its bytes.
void PrintTo(const conversion& c, std::ostream* os) { *os << c.name; }

std::vector<conversion> half_conversions() {
    std::vector<conversion> halves;
    for (const conversion& c : k_conversions)
        if (c.block_elements == 1) halves.push_back(c);
    return halves;
}

// In blocks: single values for f16 / bf16, 32-value blocks for the quantized types.
const int64_t k_lengths[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64 + 7, 1000 + 3};

constexpr size_t k_guard = 64;
constexpr uint8_t k_canary = 0xa5;

// A buffer starting 4 bytes past a 64-byte boundary (aligned for its elements, never for a vector,
// so no kernel passes on aligned pointers by luck), followed by canary bytes.
class offset_buffer {
public:
    explicit offset_buffer(size_t bytes) : storage_(bytes + k_guard + 128, k_canary), bytes_(bytes) {
        const auto address = reinterpret_cast<uintptr_t>(storage_.data());
        start_ = storage_.data() + (64 - address % 64) % 64 + 4;
    }
    offset_buffer(const void* data, size_t bytes) : offset_buffer(bytes) {
        if (bytes != 0) std::memcpy(start_, data, bytes);
    }
    uint8_t* data() { return start_; }
    bool guard_intact() const {
        for (size_t i = 0; i < k_guard; ++i)
            if (start_[bytes_ + i] != k_canary) return false;
        return true;
    }

private:
    std::vector<uint8_t> storage_;
    size_t bytes_;
    uint8_t* start_;
};

std::string first_difference(const uint8_t* expected, const uint8_t* actual, size_t bytes, size_t element_bytes) {
    for (size_t i = 0; i < bytes; ++i) {
        if (expected[i] == actual[i]) continue;
        const size_t element = i / element_bytes;
        std::string text = "first difference in element " + std::to_string(element) + ": expected bytes";
        char hex[8];
        for (size_t k = 0; k < element_bytes; ++k) {
            std::snprintf(hex, sizeof hex, " %02x", expected[element * element_bytes + k]);
            text += hex;
        }
        text += ", got";
        for (size_t k = 0; k < element_bytes; ++k) {
            std::snprintf(hex, sizeof hex, " %02x", actual[element * element_bytes + k]);
            text += hex;
        }
        return text;
    }
    return {};
}

// Runs one conversion at `level` and at scalar on the same input and compares the outputs.
void expect_same_as_scalar(const conversion& c, const cpu::kernel_table& level, const void* input, int64_t n_values) {
    const cpu::kernel_table& scalar = *cpu::kernels_for(PXL_CPU_ISA_SCALAR);
    const int64_t blocks = n_values / c.block_elements;
    const size_t in_bytes = static_cast<size_t>(c.to_f32 ? blocks * c.block_bytes : n_values * 4);
    const size_t out_bytes = static_cast<size_t>(c.to_f32 ? n_values * 4 : blocks * c.block_bytes);
    offset_buffer in(input, in_bytes);
    offset_buffer expected(out_bytes), actual(out_bytes);
    if (c.to_f32) {
        (scalar.convert->*c.to_f32)(in.data(), reinterpret_cast<float*>(expected.data()), n_values);
        (level.convert->*c.to_f32)(in.data(), reinterpret_cast<float*>(actual.data()), n_values);
    } else {
        (scalar.convert->*c.from_f32)(reinterpret_cast<const float*>(in.data()), expected.data(), n_values);
        (level.convert->*c.from_f32)(reinterpret_cast<const float*>(in.data()), actual.data(), n_values);
    }
    const size_t element_bytes = c.to_f32 ? 4 : static_cast<size_t>(c.block_bytes);
    EXPECT_EQ(std::memcmp(expected.data(), actual.data(), out_bytes), 0)
        << first_difference(expected.data(), actual.data(), out_bytes, element_bytes);
    EXPECT_TRUE(in.guard_intact()) << "wrote into the input";
    EXPECT_TRUE(actual.guard_intact()) << "wrote past the end of the output";
    EXPECT_TRUE(expected.guard_intact()) << "the scalar reference wrote past the end of the output";
}

// Stored input for a dequantizer: random bytes (every f16 / bf16 pattern, any scale), or real
// blocks quantized by the reference from normal data.
std::vector<uint8_t> stored_input(const conversion& c, int64_t n_values, bool realistic, uint32_t seed) {
    const int64_t blocks = n_values / c.block_elements;
    if (!realistic) return random_bytes(blocks * c.block_bytes, seed);
    std::vector<uint8_t> bytes(static_cast<size_t>(blocks * c.block_bytes));
    const std::vector<float> values = gaussian_floats(n_values, seed);
    const convert_kernels& scalar = *cpu::kernels_for(PXL_CPU_ISA_SCALAR)->convert;
    const from_f32_kernel encode = c.to_f32 == &convert_kernels::f16_to_f32    ? &convert_kernels::f32_to_f16
                                   : c.to_f32 == &convert_kernels::bf16_to_f32 ? &convert_kernels::f32_to_bf16
                                   : c.to_f32 == &convert_kernels::q8_0_to_f32 ? &convert_kernels::f32_to_q8_0
                                                                                : &convert_kernels::f32_to_q4_0;
    (scalar.*encode)(values.data(), bytes.data(), n_values);
    return bytes;
}

class convert_parity : public testing::TestWithParam<std::tuple<pxl_cpu_isa, conversion>> {
protected:
    void SetUp() override {
        const std::string reason = skip_reason(std::get<0>(GetParam()));
        if (!reason.empty()) GTEST_SKIP() << reason;
        level_ = cpu::kernels_for(std::get<0>(GetParam()));
        ASSERT_NE(level_, nullptr);
    }
    const conversion& c() const { return std::get<1>(GetParam()); }
    const cpu::kernel_table* level_ = nullptr;
};

TEST_P(convert_parity, matches_scalar_for_every_length_and_input) {
    uint32_t seed = 1;
    for (const int64_t length : k_lengths) {
        const int64_t n = length * c().block_elements;
        SCOPED_TRACE("n = " + std::to_string(n));
        if (c().to_f32) {
            for (const bool realistic : {false, true}) {
                SCOPED_TRACE(realistic ? "quantized normal data" : "random bytes");
                expect_same_as_scalar(c(), *level_, stored_input(c(), n, realistic, ++seed).data(), n);
            }
        } else {
            const struct {
                const char* name;
                std::vector<float> values;
            } inputs[] = {
                {"gaussian", gaussian_floats(n, ++seed)},
                {"wide", wide_floats(n, ++seed)},
                {"special", special_floats(n, ++seed)},
                {"edge blocks", edge_blocks(n)},
            };
            for (const auto& input : inputs) {
                SCOPED_TRACE(input.name);
                expect_same_as_scalar(c(), *level_, input.values.data(), n);
            }
        }
    }
}

// f16 and bf16 have few enough patterns to check them all, and the f32 -> f16 / bf16 rounding
// boundaries of every exponent and sign are swept.
class half_parity : public convert_parity {};

TEST_P(half_parity, matches_scalar_on_every_16_bit_pattern_and_rounding_boundary) {
    if (c().to_f32) {
        std::vector<uint16_t> patterns(65536);
        for (uint32_t i = 0; i < 65536; ++i) patterns[i] = static_cast<uint16_t>(i);
        expect_same_as_scalar(c(), *level_, patterns.data(), 65536);
    } else {
        const std::vector<float> sweep = rounding_sweep();
        expect_same_as_scalar(c(), *level_, sweep.data(), static_cast<int64_t>(sweep.size()));
    }
}

std::string parity_name(const testing::TestParamInfo<convert_parity::ParamType>& info) {
    return std::string(cpu::isa_name(std::get<0>(info.param))) + "_" + std::get<1>(info.param).name;
}

INSTANTIATE_TEST_SUITE_P(all_levels, convert_parity,
                         testing::Combine(testing::ValuesIn(k_all_levels), testing::ValuesIn(k_conversions)), parity_name);

INSTANTIATE_TEST_SUITE_P(all_levels, half_parity,
                         testing::Combine(testing::ValuesIn(k_all_levels), testing::ValuesIn(half_conversions())),
                         parity_name);

} // namespace
} // namespace pxl::test
