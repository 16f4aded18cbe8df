// The row kernels (exp, RMSNorm, LayerNorm, SwiGLU, GELU, QuickGELU, ReLU, softmax pieces, add,
// scale) at every level against the scalar level, plus RoPE and the embedding lookup against
// independent references.
//
// Bounds: exp within 2 ulp of std::exp over the whole f32 range; SwiGLU and QuickGELU within 4 ulp
// of scalar (the exp error, damped by 1 + e, plus a division and a product); RMSNorm within
// (sqrt(n) + 4) ulp (the f32 sum of squares summed in another order); LayerNorm within
// (sqrt(n) + 8) ulp of the output's scale |w| (|x^| + 1 + |mean| / std) + |b| (the mean and
// variance summed in another order shift every output by that much of the normalized value, not of
// the output itself, which may be near 0; |mean| / std because x - mean cancels the mean's
// rounding into the normalized value); GELU within (8 + u^2) ulp (u = |x| / sqrt 2: the f32
// polynomial of erfc_polynomial.h, plus e^(-u^2 + P) turning the f32 rounding of u^2 into u^2 ulp)
// and the scalar GELU within (4 + 3 u^2) ulp of an f64 golden (u = x * f32(1 / sqrt 2) carries up to
// 1.3 ulp of relative rounding, which erfc's log-slope 2u turns into 2.6 u^2 ulp); softmax within (sqrt(n) + 8) ulp of an f64 golden;
// add, scale, max and ReLU exactly.
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

TEST_P(row_levels, layer_norm_matches_scalar) {
    thread_pool pool(3);
    for (const int64_t n : {1, 7, 16, 33, 64, 255, 1024 + 5, 4096 + 3}) {
        // 9 rows off a large common offset (the two-pass variance's reason to exist); the larger
        // widths go through the pool, the smaller run on the calling thread.
        std::vector<float> x = normal_values(9 * n, 3.0f, static_cast<uint32_t>(n));
        for (float& v : x) v += 40.0f;
        const std::vector<float> w = normal_values(n, 1.0f, static_cast<uint32_t>(n + 1));
        const std::vector<float> b = normal_values(n, 0.5f, static_cast<uint32_t>(n + 2));
        std::vector<float> expected(x.size());
        cpu::layer_norm(*scalar_, pool, x.data(), w.data(), b.data(), expected.data(), 9, n, 1e-6f);
        std::vector<float> actual = x;  // in place
        cpu::layer_norm(*level_, pool, actual.data(), w.data(), b.data(), actual.data(), 9, n, 1e-6f);
        const double ulps = (std::sqrt(static_cast<double>(n)) + 8.0) * 0x1p-24;
        for (int64_t r = 0; r < 9; ++r) {
            double mean = 0.0, var = 0.0;
            for (int64_t i = 0; i < n; ++i) mean += x[r * n + i];
            mean /= static_cast<double>(n);
            for (int64_t i = 0; i < n; ++i) var += (x[r * n + i] - mean) * (x[r * n + i] - mean);
            const double inv_std = 1.0 / std::sqrt(var / static_cast<double>(n) + 1e-6);
            for (int64_t i = 0; i < n; ++i) {
                const size_t at = static_cast<size_t>(r * n + i);
                const double normalized = (x[at] - mean) * inv_std;
                const double scale =
                    std::fabs(w[i]) * (std::fabs(normalized) + 1.0 + std::fabs(mean) * inv_std) + std::fabs(b[i]);
                ASSERT_NEAR(actual[at], expected[at], ulps * scale) << "n " << n << " at " << at;
                // The scalar kernel itself against f64 (its own sums are sequential: n ulp).
                ASSERT_NEAR(expected[at], normalized * w[i] + b[i], (static_cast<double>(n) + 8.0) * 0x1p-24 * scale)
                    << "scalar, n " << n << " at " << at;
            }
        }
    }
}

// Inputs of the activations: a fine sweep over where they bend, far tails, and special values.
std::vector<float> activation_inputs() {
    std::vector<float> v;
    for (float x = -20.0f; x < 20.0f; x += 0.00317f) v.push_back(x);
    for (float x : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-8f, -1e-8f, 1e4f, -1e4f, 3e38f, -3e38f, k_inf, -k_inf}) v.push_back(x);
    return v;
}

TEST_P(row_levels, gelu_erf_matches_scalar_and_scalar_matches_f64) {
    const std::vector<float> x = activation_inputs();
    const int64_t n = static_cast<int64_t>(x.size());
    std::vector<float> expected(x.size()), actual(x.size());
    scalar_->row->gelu_erf(x.data(), expected.data(), n);
    level_->row->gelu_erf(x.data(), actual.data(), n);
    for (size_t i = 0; i < x.size(); ++i) {
        if (std::isnan(expected[i])) {  // -inf * erfc(inf) = -inf * 0
            EXPECT_TRUE(std::isnan(actual[i])) << "x = " << x[i];
            continue;
        }
        const double u2 = 0.5 * double{x[i]} * x[i];
        const double erfc_golden = std::erfc(-double{x[i]} * 0.70710678118654752);
        const double golden = 0.5 * double{x[i]} * erfc_golden;
        if (erfc_golden >= 1e-37 && std::isfinite(golden))  // f32 erfc is relatively precise down to normal numbers
            ASSERT_LE(std::fabs(expected[i] - golden), (4.0 + 3.0 * u2) * 0x1p-24 * std::fabs(golden)) << "scalar, x = " << x[i];
        if (std::fabs(expected[i]) < 1e-37f) {
            ASSERT_NEAR(actual[i], expected[i], 1e-37f) << "x = " << x[i];
            continue;
        }
        ASSERT_LE(ulp_distance(actual[i], expected[i]), 8.0 + u2) << "x = " << x[i] << ": " << actual[i] << " vs " << expected[i];
    }
    const float nan = std::numeric_limits<float>::quiet_NaN();
    level_->row->gelu_erf(&nan, actual.data(), 1);
    EXPECT_TRUE(std::isnan(actual[0]));
}

TEST_P(row_levels, quick_gelu_matches_scalar) {
    const std::vector<float> x = activation_inputs();
    const int64_t n = static_cast<int64_t>(x.size());
    std::vector<float> expected(x.size()), actual(x.size());
    scalar_->row->quick_gelu(x.data(), expected.data(), n);
    level_->row->quick_gelu(x.data(), actual.data(), n);
    for (size_t i = 0; i < x.size(); ++i) {
        if (std::isnan(expected[i])) {  // -inf / (1 + inf)
            EXPECT_TRUE(std::isnan(actual[i])) << "x = " << x[i];
            continue;
        }
        if (std::fabs(expected[i]) < 1e-37f) {
            ASSERT_NEAR(actual[i], expected[i], 1e-37f) << "x = " << x[i];
            continue;
        }
        ASSERT_LE(ulp_distance(actual[i], expected[i]), 4) << "x = " << x[i] << ": " << actual[i] << " vs " << expected[i];
    }
}

TEST_P(row_levels, relu_is_exact_and_keeps_nan) {
    std::vector<float> x = activation_inputs();
    x.push_back(std::numeric_limits<float>::quiet_NaN());
    std::vector<float> y(x.size());
    level_->row->relu(x.data(), y.data(), static_cast<int64_t>(x.size()));
    for (size_t i = 0; i + 1 < x.size(); ++i) ASSERT_EQ(y[i], x[i] < 0.0f ? 0.0f : x[i]) << "x = " << x[i];
    EXPECT_TRUE(std::isnan(y.back()));
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
        level_->row->gelu_erf(g.data(), expected.data(), n);
        cpu::gelu_erf(*level_, pool, g.data(), actual.data(), n);
        EXPECT_EQ(std::memcmp(expected.data(), actual.data(), g.size() * sizeof(float)), 0) << "gelu_erf, n " << n;
        level_->row->quick_gelu(g.data(), expected.data(), n);
        cpu::quick_gelu(*level_, pool, g.data(), actual.data(), n);
        EXPECT_EQ(std::memcmp(expected.data(), actual.data(), g.size() * sizeof(float)), 0) << "quick_gelu, n " << n;
        level_->row->relu(g.data(), expected.data(), n);
        cpu::relu(*level_, pool, g.data(), actual.data(), n);
        EXPECT_EQ(std::memcmp(expected.data(), actual.data(), g.size() * sizeof(float)), 0) << "relu, n " << n;
    }
}

// add_bias adds one bias row to every row, pooled or not, exactly.
TEST_P(row_levels, add_bias_adds_the_bias_to_every_row) {
    thread_pool pool(3);
    for (const int64_t n : {1, 13, 4096 + 7}) {
        const std::vector<float> bias = normal_values(n, 1.0f, 4);
        const std::vector<float> x = normal_values(11 * n, 1.0f, 5);
        std::vector<float> y = x;
        cpu::add_bias(*level_, pool, y.data(), bias.data(), 11, n);
        for (int64_t r = 0; r < 11; ++r)
            for (int64_t i = 0; i < n; ++i) ASSERT_EQ(y[r * n + i], x[r * n + i] + bias[i]) << "n " << n << " row " << r;
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
