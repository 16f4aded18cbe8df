// Repacked Q4_0 (cpu/repack.h, the q4_0x8 layout of matmul): at every level, the product equals the
// scalar level's product over the original rows bit for bit (both follow the scalar rule: the
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

std::vector<uint8_t> random_q4_0(int64_t n, int64_t k, uint32_t seed) {
    std::vector<float> values(static_cast<size_t>(n * k));
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    for (float& v : values) v = normal(rng);
    std::vector<uint8_t> bytes(static_cast<size_t>(n * k / 32 * 18));
    cpu::kernels_for(PXL_CPU_ISA_SCALAR)->convert->f32_to_q4_0(values.data(), bytes.data(), n * k);
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

class repacked_q4_0 : public testing::TestWithParam<pxl_cpu_isa> {
protected:
    void SetUp() override {
        const std::string reason = skip_reason(GetParam());
        if (!reason.empty()) GTEST_SKIP() << reason;
        level_ = cpu::kernels_for(GetParam());
    }
    const cpu::kernel_table* level_ = nullptr;
};

TEST_P(repacked_q4_0, equals_the_scalar_product_of_the_original_rows) {
    struct shape {
        int64_t m, n, k;
    };
    for (const shape s : {shape{1, 1, 32}, shape{1, 37, 64}, shape{2, 8, 96}, shape{5, 17, 1024}, shape{9, 41, 256},
                          shape{70, 19, 4096}}) {
        const std::vector<uint8_t> rows = random_q4_0(s.n, s.k, 11);
        std::vector<uint8_t> packed(cpu::q4_0x8_bytes(s.n, s.k));
        cpu::repack_q4_0x8(rows.data(), s.n, s.k, packed.data());
        const std::vector<float> x = random_activations(s.m, s.k, 12);
        const std::vector<float> expected =
            product(*cpu::kernels_for(PXL_CPU_ISA_SCALAR), 1, {PXL_TENSOR_TYPE_Q4_0, rows.data(), s.n, s.k}, x, s.m);
        for (const int threads : {1, 3}) {
            const std::vector<float> actual = product(
                *level_, threads, {PXL_TENSOR_TYPE_Q4_0, packed.data(), s.n, s.k, cpu::weight_layout::q4_0x8}, x, s.m);
            ASSERT_EQ(std::memcmp(expected.data(), actual.data(), expected.size() * sizeof(float)), 0)
                << "m " << s.m << " n " << s.n << " k " << s.k << " threads " << threads;
        }
    }
}

TEST_P(repacked_q4_0, a_row_alone_equals_the_same_row_in_a_batch) {
    const int64_t n = 45, k = 512, m = 37;
    const std::vector<uint8_t> rows = random_q4_0(n, k, 3);
    std::vector<uint8_t> packed(cpu::q4_0x8_bytes(n, k));
    cpu::repack_q4_0x8(rows.data(), n, k, packed.data());
    const cpu::matmul_weights w{PXL_TENSOR_TYPE_Q4_0, packed.data(), n, k, cpu::weight_layout::q4_0x8};
    const std::vector<float> x = random_activations(m, k, 4);
    const std::vector<float> batch = product(*level_, 2, w, x, m);
    const std::vector<float> row5(x.begin() + 5 * k, x.begin() + 6 * k);
    const std::vector<float> alone = product(*level_, 2, w, row5, 1);
    EXPECT_EQ(std::memcmp(alone.data(), batch.data() + 5 * n, alone.size() * sizeof(float)), 0);
}

INSTANTIATE_TEST_SUITE_P(all_levels, repacked_q4_0, testing::ValuesIn(k_all_levels),
                         [](const testing::TestParamInfo<pxl_cpu_isa>& info) { return std::string(cpu::isa_name(info.param)); });

TEST(repack, pads_the_last_group_with_zero_rows_and_keeps_the_size) {
    const int64_t n = 11, k = 64;
    const std::vector<uint8_t> rows = random_q4_0(n, k, 5);
    ASSERT_EQ(cpu::q4_0x8_bytes(n, k), 2u * 2u * sizeof(cpu::block_q4_0x8));
    ASSERT_EQ(cpu::q4_0x8_bytes(16, k), rows.size() / n * 16);
    std::vector<uint8_t> packed(cpu::q4_0x8_bytes(n, k), 0xAB);
    cpu::repack_q4_0x8(rows.data(), n, k, packed.data());
    const auto* groups = reinterpret_cast<const cpu::block_q4_0x8*>(packed.data());
    const auto* original = reinterpret_cast<const cpu::block_q4_0*>(rows.data());
    // Row 9 (group 1, lane 1), block 1: its scale and the 4 bytes of every chunk.
    EXPECT_EQ(groups[2 + 1].d[1], original[9 * 2 + 1].d);
    for (int c = 0; c < 4; ++c)
        EXPECT_EQ(std::memcmp(groups[2 + 1].qs + 32 * c + 4 * 1, original[9 * 2 + 1].qs + 4 * c, 4), 0) << "chunk " << c;
    for (int lane = 3; lane < 8; ++lane) EXPECT_EQ(groups[2].d[lane], 0) << "padding lane " << lane;
    EXPECT_THROW(cpu::q4_0x8_bytes(4, 48), pxl::error);
}

TEST(repack, matmul_refuses_the_layout_for_other_types) {
    thread_pool pool(1);
    float x[32] = {}, y[8] = {};
    uint8_t w[512] = {};
    EXPECT_THROW(cpu::matmul(cpu::active_kernels(), pool, {PXL_TENSOR_TYPE_Q8_0, w, 8, 32, cpu::weight_layout::q4_0x8}, x, 1, y, w),
                 pxl::error);
}

} // namespace
} // namespace pxl::test
