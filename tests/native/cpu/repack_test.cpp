// Repacked Q8_0 / Q4_0 (cpu/repack.h, the x8 layout of matmul): at every level, the product equals
// the scalar level's product over the original rows bit for bit (both follow the scalar rule: the
// int32 block dot product, times d_w * d_x, added in block order), for row counts that are not
// multiples of 8, every grouping of activation rows, and any thread count.
#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/isa_levels.h"
#include "cpu/matmul.h"
#include "cpu/quant_blocks.h"
#include "cpu/repack.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace pxl::test {
namespace {

// Random weights; Q8_0's include -128 and 127 in block 0 of every row (the extremes of the biased bytes).
std::vector<uint8_t> random_weights(pxl_tensor_type type, int64_t n, int64_t k, uint32_t seed) {
    std::vector<float> values(static_cast<size_t>(n * k));
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    for (float& v : values) v = normal(rng);
    const cpu::convert_kernels& convert = *cpu::kernels_for(PXL_CPU_ISA_SCALAR)->convert;
    if (type == PXL_TENSOR_TYPE_Q4_0) {
        std::vector<uint8_t> bytes(static_cast<size_t>(n * k / 32 * sizeof(cpu::block_q4_0)));
        convert.f32_to_q4_0(values.data(), bytes.data(), n * k);
        return bytes;
    }
    std::vector<uint8_t> bytes(static_cast<size_t>(n * k / 32 * sizeof(cpu::block_q8_0)));
    convert.f32_to_q8_0(values.data(), bytes.data(), n * k);
    auto* blocks = reinterpret_cast<cpu::block_q8_0*>(bytes.data());
    for (int64_t r = 0; r < n; ++r) {
        blocks[r * (k / 32)].qs[0] = -128;
        blocks[r * (k / 32)].qs[1] = 127;
    }
    return bytes;
}

std::vector<float> random_activations(int64_t m, int64_t k, uint32_t seed) {
    std::vector<float> x(static_cast<size_t>(m * k));
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float& v : x) v = normal(rng);
    return x;
}

std::vector<float> product(const cpu::kernel_table& kernels, int threads, const cpu::matmul_weights& w,
                           const std::vector<float>& x, int64_t m) {
    thread_pool pool(threads);
    std::vector<uint8_t> workspace(cpu::matmul_workspace_bytes(w.type, m, w.k));
    std::vector<float> y(static_cast<size_t>(m * w.n), std::nanf(""));
    cpu::matmul(kernels, pool, w, x.data(), m, y.data(), workspace.data());
    return y;
}

class repacked : public testing::TestWithParam<std::tuple<pxl_cpu_isa, pxl_tensor_type>> {
protected:
    void SetUp() override {
        const std::string reason = skip_reason(std::get<0>(GetParam()));
        if (!reason.empty()) GTEST_SKIP() << reason;
        level_ = cpu::kernels_for(std::get<0>(GetParam()));
    }
    pxl_tensor_type type() const { return std::get<1>(GetParam()); }
    std::vector<uint8_t> pack(const std::vector<uint8_t>& rows, int64_t n, int64_t k) const {
        std::vector<uint8_t> packed(cpu::repacked_bytes(type(), n, k));
        cpu::repack(type(), rows.data(), n, k, packed.data());
        return packed;
    }
    const cpu::kernel_table* level_ = nullptr;
};

TEST_P(repacked, equals_the_scalar_product_of_the_original_rows) {
    struct shape {
        int64_t m, n, k;
    };
    for (const shape s : {shape{1, 1, 32}, shape{1, 37, 64}, shape{2, 8, 96}, shape{5, 17, 1024}, shape{9, 41, 256},
                          shape{70, 19, 4096}}) {
        const std::vector<uint8_t> rows = random_weights(type(), s.n, s.k, 11);
        const std::vector<uint8_t> packed = pack(rows, s.n, s.k);
        const std::vector<float> x = random_activations(s.m, s.k, 12);
        const std::vector<float> expected =
            product(*cpu::kernels_for(PXL_CPU_ISA_SCALAR), 1, {type(), rows.data(), s.n, s.k}, x, s.m);
        for (const int threads : {1, 3}) {
            const std::vector<float> actual =
                product(*level_, threads, {type(), packed.data(), s.n, s.k, cpu::weight_layout::x8}, x, s.m);
            ASSERT_EQ(std::memcmp(expected.data(), actual.data(), expected.size() * sizeof(float)), 0)
                << "m " << s.m << " n " << s.n << " k " << s.k << " threads " << threads;
        }
    }
}

TEST_P(repacked, a_row_alone_equals_the_same_row_in_a_batch) {
    const int64_t n = 45, k = 512, m = 37;
    const std::vector<uint8_t> packed = pack(random_weights(type(), n, k, 3), n, k);
    const cpu::matmul_weights w{type(), packed.data(), n, k, cpu::weight_layout::x8};
    const std::vector<float> x = random_activations(m, k, 4);
    const std::vector<float> batch = product(*level_, 2, w, x, m);
    const std::vector<float> row5(x.begin() + 5 * k, x.begin() + 6 * k);
    const std::vector<float> alone = product(*level_, 2, w, row5, 1);
    EXPECT_EQ(std::memcmp(alone.data(), batch.data() + 5 * n, alone.size() * sizeof(float)), 0);
}

INSTANTIATE_TEST_SUITE_P(all_levels, repacked,
                         testing::Combine(testing::ValuesIn(k_all_levels), testing::Values(PXL_TENSOR_TYPE_Q8_0, PXL_TENSOR_TYPE_Q4_0)),
                         [](const testing::TestParamInfo<repacked::ParamType>& info) {
                             return std::string(cpu::isa_name(std::get<0>(info.param))) +
                                    (std::get<1>(info.param) == PXL_TENSOR_TYPE_Q8_0 ? "_q8_0" : "_q4_0");
                         });

TEST(repack, pads_the_last_group_with_zero_rows_and_keeps_the_size) {
    const int64_t n = 11, k = 64;
    const std::vector<uint8_t> rows = random_weights(PXL_TENSOR_TYPE_Q4_0, n, k, 5);
    ASSERT_EQ(cpu::repacked_bytes(PXL_TENSOR_TYPE_Q4_0, n, k), 2u * 2u * sizeof(cpu::block_q4_0x8));
    ASSERT_EQ(cpu::repacked_bytes(PXL_TENSOR_TYPE_Q4_0, 16, k), rows.size() / n * 16);
    std::vector<uint8_t> packed(cpu::repacked_bytes(PXL_TENSOR_TYPE_Q4_0, n, k), 0xAB);
    cpu::repack(PXL_TENSOR_TYPE_Q4_0, rows.data(), n, k, packed.data());
    const auto* groups = reinterpret_cast<const cpu::block_q4_0x8*>(packed.data());
    const auto* original = reinterpret_cast<const cpu::block_q4_0*>(rows.data());
    // Row 9 (group 1, lane 1), block 1: its scale and the 4 bytes of every chunk.
    EXPECT_EQ(groups[2 + 1].d[1], original[9 * 2 + 1].d);
    for (int c = 0; c < 4; ++c)
        EXPECT_EQ(std::memcmp(groups[2 + 1].qs + 32 * c + 4 * 1, original[9 * 2 + 1].qs + 4 * c, 4), 0) << "chunk " << c;
    for (int lane = 3; lane < 8; ++lane) EXPECT_EQ(groups[2].d[lane], 0) << "padding lane " << lane;
    EXPECT_THROW(cpu::repacked_bytes(PXL_TENSOR_TYPE_Q4_0, 4, 48), pxl::error);
    EXPECT_THROW(cpu::repacked_bytes(PXL_TENSOR_TYPE_F16, 4, 64), pxl::error);
}

TEST(repack, stores_q8_0_values_biased_to_unsigned_bytes) {
    const int64_t n = 8, k = 32;
    const std::vector<uint8_t> rows = random_weights(PXL_TENSOR_TYPE_Q8_0, n, k, 6);
    std::vector<uint8_t> packed(cpu::repacked_bytes(PXL_TENSOR_TYPE_Q8_0, n, k));
    cpu::repack(PXL_TENSOR_TYPE_Q8_0, rows.data(), n, k, packed.data());
    const auto& group = *reinterpret_cast<const cpu::block_q8_0x8*>(packed.data());
    const auto* original = reinterpret_cast<const cpu::block_q8_0*>(rows.data());
    for (int i = 0; i < 8; ++i)
        for (int v = 0; v < 32; ++v)
            ASSERT_EQ(group.qs[32 * (v / 4) + 4 * i + v % 4], static_cast<uint8_t>(original[i].qs[v] + 128)) << "row " << i << " value " << v;
}

TEST(repack, matmul_refuses_the_layout_for_float_types) {
    thread_pool pool(1);
    float x[32] = {}, y[8] = {};
    uint8_t w[512] = {};
    EXPECT_THROW(cpu::matmul(cpu::active_kernels(), pool, {PXL_TENSOR_TYPE_F16, w, 8, 32, cpu::weight_layout::x8}, x, 1, y, w),
                 pxl::error);
}

} // namespace
} // namespace pxl::test
