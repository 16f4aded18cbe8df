// The row kernels (exp, RMSNorm, SwiGLU, softmax pieces, add, scale) at every level against the
// scalar level, plus RoPE and the embedding lookup against independent references.
//
// Bounds: exp within 2 ulp of std::exp over the whole f32 range; SwiGLU within 4 ulp of scalar (the
// exp error, damped by 1 + e, plus a division and a product); RMSNorm within (sqrt(n) + 4) ulp
// (the f32 sum of squares summed in another order); softmax within (sqrt(n) + 8) ulp of an f64
// golden; add, scale and max exactly.
#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/embedding.h"
#include "cpu/half_float.h"
#include "cpu/isa_levels.h"
#include "cpu/rope.h"
#include "cpu/row_ops.h"
#include "cpu/test_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace pxl::test {
namespace {

constexpr float k_inf = std::numeric_limits<float>::infinity();

// Distance in representable floats between two values of the same sign.
int64_t ulp_distance(float a, float b) {
    return std::abs(static_cast<int64_t>(to_bits(a)) - static_cast<int64_t>(to_bits(b)));
}

std::vector<float> normal_values(int64_t n, float sigma, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, sigma);
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) x = normal(rng);
    return v;
}

// Every exponent of exp's domain: a fine sweep over [-110, 95] (past both ends of the range), the
// subnormal-result region in detail, and special values.
std::vector<float> exp_inputs() {
    std::vector<float> v;
    for (float x = -110.0f; x < 95.0f; x += 0.0371f) v.push_back(x);
    for (float x = -104.0f; x < -86.0f; x += 0.00113f) v.push_back(x);
    for (float x = 88.0f; x < 89.0f; x += 0.0001f) v.push_back(x);
    for (float x : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-8f, 88.7228f, 88.72284f, -87.3365f, -103.972f, k_inf, -k_inf,
                    std::numeric_limits<float>::quiet_NaN()})
        v.push_back(x);
    return v;
}

class row_levels : public testing::TestWithParam<pxl_cpu_isa> {
protected:
    void SetUp() override {
        const std::string reason = skip_reason(GetParam());
        if (!reason.empty()) GTEST_SKIP() << reason;
        level_ = cpu::kernels_for(GetParam());
        scalar_ = cpu::kernels_for(PXL_CPU_ISA_SCALAR);
    }
    const cpu::kernel_table* level_ = nullptr;
    const cpu::kernel_table* scalar_ = nullptr;
};

TEST_P(row_levels, exp_is_within_2_ulp_everywhere) {
    const std::vector<float> x = exp_inputs();
    std::vector<float> y(x.size());
    level_->row->exp(x.data(), y.data(), static_cast<int64_t>(x.size()));
    for (size_t i = 0; i < x.size(); ++i) {
        const float expected = std::exp(x[i]);
        if (std::isnan(expected)) {
            EXPECT_TRUE(std::isnan(y[i])) << "x = " << x[i];
            continue;
        }
        ASSERT_LE(ulp_distance(y[i], expected), 2) << "x = " << x[i] << ": " << y[i] << " vs " << expected;
    }
}

TEST_P(row_levels, swiglu_matches_scalar_over_a_wide_range) {
    std::vector<float> g = exp_inputs();
    g.pop_back();  // NaN
    const int64_t n = static_cast<int64_t>(g.size());
    const std::vector<float> u = normal_values(n, 2.0f, 3);
    std::vector<float> expected(g.size()), actual(g.size());
    scalar_->row->swiglu(g.data(), u.data(), expected.data(), n);
    level_->row->swiglu(g.data(), u.data(), actual.data(), n);
    for (size_t i = 0; i < g.size(); ++i) {
        if (std::fabs(expected[i]) < 1e-37f) {
            ASSERT_NEAR(actual[i], expected[i], 1e-37f) << "g = " << g[i];
            continue;
        }
        ASSERT_LE(ulp_distance(actual[i], expected[i]), 4) << "g = " << g[i] << ": " << actual[i] << " vs " << expected[i];
    }
}

TEST_P(row_levels, rms_norm_matches_scalar) {
    thread_pool pool(3);
    for (const int64_t n : {1, 7, 16, 33, 2048, 4096 + 5}) {
        // 9 rows: the larger widths go through the pool, the smaller run on the calling thread.
        const std::vector<float> x = normal_values(9 * n, 3.0f, static_cast<uint32_t>(n));
        const std::vector<float> w = normal_values(n, 1.0f, static_cast<uint32_t>(n + 1));
        std::vector<float> expected(x.size()), actual(x.size());
        cpu::rms_norm(*scalar_, pool, x.data(), w.data(), expected.data(), 9, n, 1e-6f);
        cpu::rms_norm(*level_, pool, x.data(), w.data(), actual.data(), 9, n, 1e-6f);
        const float rel = static_cast<float>((std::sqrt(static_cast<double>(n)) + 4.0) * 0x1p-24);
        for (size_t i = 0; i < x.size(); ++i)
            ASSERT_NEAR(actual[i], expected[i], rel * std::fabs(expected[i])) << "n " << n << " at " << i;
    }
}

TEST_P(row_levels, softmax_matches_the_f64_golden) {
    for (const int64_t n : {1, 5, 16, 31, 250, 1000}) {
        std::vector<float> x = normal_values(n, 4.0f, static_cast<uint32_t>(n));
        if (n > 3) x[2] = -k_inf;  // a masked entry
        double max = -INFINITY, sum = 0.0;
        for (float v : x) max = std::max(max, double{v});
        for (float v : x) sum += std::exp(v - max);
        std::vector<float> y = x;
        cpu::softmax(*level_, y.data(), n);
        const double tol = (std::sqrt(static_cast<double>(n)) + 8.0) * 0x1p-24;
        for (int64_t i = 0; i < n; ++i) {
            const double expected = std::exp(x[i] - max) / sum;
            ASSERT_NEAR(y[i], expected, tol * expected + 1e-40) << "n " << n << " at " << i;
        }
    }
    std::vector<float> hidden = {-k_inf, -k_inf, -k_inf};
    cpu::softmax(*level_, hidden.data(), 3);
    EXPECT_EQ(hidden, std::vector<float>(3, 0.0f)) << "nothing visible gives zeros, not NaN";
}

TEST_P(row_levels, add_scale_and_max_are_exact) {
    for (const int64_t n : {0, 1, 7, 8, 17, 1001}) {
        const std::vector<float> a = normal_values(n, 1.0f, 1), b = normal_values(n, 1.0f, 2);
        std::vector<float> sum(a.size()), scaled(a.size());
        level_->row->add(a.data(), b.data(), sum.data(), n);
        level_->row->scale(a.data(), 0.37f, scaled.data(), n);
        float max = -k_inf;
        for (int64_t i = 0; i < n; ++i) {
            ASSERT_EQ(sum[i], a[i] + b[i]);
            ASSERT_EQ(scaled[i], a[i] * 0.37f);
            max = std::max(max, a[i]);
        }
        EXPECT_EQ(level_->row->max(a.data(), n), max);
    }
    const float with_nan[] = {1.0f, std::numeric_limits<float>::quiet_NaN(), 3.0f, -2.0f};
    EXPECT_EQ(level_->row->max(with_nan, 4), 3.0f);
}

// The pooled wrappers give exactly the level's own kernel results, chunked or not.
TEST_P(row_levels, pooled_swiglu_and_add_equal_the_kernels) {
    thread_pool pool(3);
    for (const int64_t n : {5, 40000 + 3}) {
        const std::vector<float> g = normal_values(n, 3.0f, 1), u = normal_values(n, 1.0f, 2);
        std::vector<float> expected(g.size()), actual(g.size());
        level_->row->swiglu(g.data(), u.data(), expected.data(), n);
        cpu::swiglu(*level_, pool, g.data(), u.data(), actual.data(), n);
        EXPECT_EQ(std::memcmp(expected.data(), actual.data(), g.size() * sizeof(float)), 0) << "swiglu, n " << n;
        level_->row->add(g.data(), u.data(), expected.data(), n);
        cpu::add(*level_, pool, g.data(), u.data(), actual.data(), n);
        EXPECT_EQ(std::memcmp(expected.data(), actual.data(), g.size() * sizeof(float)), 0) << "add, n " << n;
    }
}

TEST_P(row_levels, exp_shifted_sum_matches_scalar) {
    for (const int64_t n : {1, 9, 64, 100}) {
        std::vector<float> expected = normal_values(n, 3.0f, static_cast<uint32_t>(n));
        expected[0] = -k_inf;
        std::vector<float> actual = expected;
        const float expected_sum = scalar_->row->exp_shifted_sum(expected.data(), n, 2.5f);
        const float actual_sum = level_->row->exp_shifted_sum(actual.data(), n, 2.5f);
        EXPECT_EQ(actual[0], 0.0f);
        for (int64_t i = 0; i < n; ++i) ASSERT_LE(ulp_distance(actual[i], expected[i]), 2);
        EXPECT_NEAR(actual_sum, expected_sum, (static_cast<float>(n) + 2.0f) * 0x1p-24f * expected_sum);
    }
}

TEST_P(row_levels, embedding_rows_equal_the_dequantized_rows) {
    constexpr int64_t n_vocab = 11, n_embd = 96;
    const std::vector<float> values = normal_values(n_vocab * n_embd, 0.1f, 5);
    const int32_t ids[] = {3, 0, 10, 3};
    const struct {
        pxl_tensor_type type;
        int64_t block_elements, block_bytes;
    } types[] = {{PXL_TENSOR_TYPE_F32, 1, 4}, {PXL_TENSOR_TYPE_F16, 1, 2}, {PXL_TENSOR_TYPE_BF16, 1, 2},
                 {PXL_TENSOR_TYPE_Q8_0, 32, 34}, {PXL_TENSOR_TYPE_Q4_0, 32, 18}};
    for (const auto& t : types) {
        SCOPED_TRACE("type " + std::to_string(t.type));
        std::vector<uint16_t> table(static_cast<size_t>(n_vocab * n_embd / t.block_elements * t.block_bytes / 2));
        std::vector<float> all(values.size());
        const cpu::convert_kernels& c = *scalar_->convert;
        switch (t.type) {
        case PXL_TENSOR_TYPE_F32: std::memcpy(table.data(), values.data(), values.size() * 4); break;
        case PXL_TENSOR_TYPE_F16: c.f32_to_f16(values.data(), table.data(), n_vocab * n_embd); break;
        case PXL_TENSOR_TYPE_BF16: c.f32_to_bf16(values.data(), table.data(), n_vocab * n_embd); break;
        case PXL_TENSOR_TYPE_Q8_0: c.f32_to_q8_0(values.data(), table.data(), n_vocab * n_embd); break;
        default: c.f32_to_q4_0(values.data(), table.data(), n_vocab * n_embd); break;
        }
        switch (t.type) {
        case PXL_TENSOR_TYPE_F32: all = values; break;
        case PXL_TENSOR_TYPE_F16: c.f16_to_f32(table.data(), all.data(), n_vocab * n_embd); break;
        case PXL_TENSOR_TYPE_BF16: c.bf16_to_f32(table.data(), all.data(), n_vocab * n_embd); break;
        case PXL_TENSOR_TYPE_Q8_0: c.q8_0_to_f32(table.data(), all.data(), n_vocab * n_embd); break;
        default: c.q4_0_to_f32(table.data(), all.data(), n_vocab * n_embd); break;
        }
        std::vector<float> out(4 * n_embd);
        cpu::embedding_lookup(*level_, t.type, table.data(), n_vocab, n_embd, ids, 4, out.data());
        for (int r = 0; r < 4; ++r)
            EXPECT_EQ(std::memcmp(out.data() + r * n_embd, all.data() + ids[r] * n_embd, n_embd * sizeof(float)), 0) << "row " << r;
        const int32_t bad[] = {1, 11};
        EXPECT_THROW(cpu::embedding_lookup(*level_, t.type, table.data(), n_vocab, n_embd, bad, 2, out.data()), pxl::error);
    }
}

INSTANTIATE_TEST_SUITE_P(all_levels, row_levels, testing::ValuesIn(k_all_levels),
                         [](const testing::TestParamInfo<pxl_cpu_isa>& info) { return std::string(cpu::isa_name(info.param)); });

// RoPE against an f64 rotation of the same f32 angles (the angle's own f32 rounding is part of the
// convention, as in HF's f32 tables): within 2 ulp of the pair's magnitude.
TEST(rope_norm, rotates_adjacent_pairs_by_position) {
    for (const int head_size : {16, 64, 80, 128}) {
        constexpr int n_head = 3;
        constexpr int64_t n_rows = 5;
        const int32_t pos[n_rows] = {0, 1, 7, 4095, 2};  // any order, any values
        const std::vector<float> x = normal_values(n_rows * n_head * head_size, 1.0f, static_cast<uint32_t>(head_size));
        std::vector<float> y = x;
        thread_pool pool(2);
        cpu::rope_norm(pool, y.data(), n_rows, n_head, head_size, pos);
        for (int64_t r = 0; r < n_rows; ++r) {
            for (int h = 0; h < n_head; ++h) {
                for (int i = 0; i < head_size / 2; ++i) {
                    const float inv_freq = static_cast<float>(std::pow(10000.0, -2.0 * i / head_size));
                    const double angle = static_cast<float>(pos[r]) * inv_freq;
                    const size_t at = static_cast<size_t>((r * n_head + h) * head_size + 2 * i);
                    const double x0 = x[at], x1 = x[at + 1];
                    const double tol = 2.0 * 0x1p-24 * (std::fabs(x0) + std::fabs(x1));
                    ASSERT_NEAR(y[at], x0 * std::cos(angle) - x1 * std::sin(angle), tol) << "head size " << head_size;
                    ASSERT_NEAR(y[at + 1], x0 * std::sin(angle) + x1 * std::cos(angle), tol) << "head size " << head_size;
                }
            }
        }
        // Position 0 is the identity, exactly.
        EXPECT_EQ(std::memcmp(y.data(), x.data(), sizeof(float) * n_head * head_size), 0);
    }
}

} // namespace
} // namespace pxl::test
