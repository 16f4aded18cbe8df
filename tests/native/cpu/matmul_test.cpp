// matmul (cpu/matmul.h) at every kernel level against the scalar level and an f64 golden, for every
// weight type, odd shapes, and 1 vs 3 threads.
//
// Bounds. Float weights: scalar and SIMD sum the same k products in different orders (SIMD with
// FMA). The worst case of any order is k 2^-24 sum|x w|, but on random data the error relative to
// sum|x w| shrinks as k grows (measured: at most 3.6 ulp of sum|x w| for the scalar loop and 0.6
// for SIMD, k from 256 to 11008), so we require |level - golden| and |scalar - golden| <= 16 ulp
// of sum|x w| against an f64 golden, and |level - scalar| <= 32. Quantized weights: every
// 32-block's int32 dot product must be exact at every level. That is checked bit for bit with
// power-of-two scales, where every f32 operation is exact; with real scales the scaled block sums
// are combined in different orders, bounded as above with sum|x w| over the dequantized values.
#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/half_float.h"
#include "cpu/isa_levels.h"
#include "cpu/matmul.h"
#include "cpu/quant_blocks.h"
#include "cpu/test_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace pxl::test {
namespace {

struct weight_type {
    pxl_tensor_type type;
    const char* name;
    int64_t block_elements;
    int64_t block_bytes;
};

const weight_type k_types[] = {
    {PXL_TENSOR_TYPE_F32, "f32", 1, 4},  {PXL_TENSOR_TYPE_F16, "f16", 1, 2},     {PXL_TENSOR_TYPE_BF16, "bf16", 1, 2},
    {PXL_TENSOR_TYPE_Q8_0, "q8_0", 32, 34}, {PXL_TENSOR_TYPE_Q4_0, "q4_0", 32, 18},
};

// Names the type in gtest's failure messages instead of dumping its bytes.
void PrintTo(const weight_type& t, std::ostream* os) { *os << t.name; }

bool quantized(const weight_type& t) { return t.block_elements == 32; }

// Weights W [n][k] encoded in t by the scalar reference, plus their exact f32 values.
struct weights {
    std::vector<uint8_t> bytes;
    std::vector<float> values;  // [n][k], dequantized
};

weights make_weights(const weight_type& t, int64_t n, int64_t k, uint32_t seed) {
    const cpu::kernel_table& scalar = *cpu::kernels_for(PXL_CPU_ISA_SCALAR);
    std::vector<float> source(static_cast<size_t>(n * k));
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    for (float& v : source) v = normal(rng);
    weights w;
    w.bytes.resize(static_cast<size_t>(n * k / t.block_elements * t.block_bytes));
    w.values.resize(source.size());
    const cpu::convert_kernels& c = *scalar.convert;
    switch (t.type) {
    case PXL_TENSOR_TYPE_F32: std::memcpy(w.bytes.data(), source.data(), w.bytes.size()); break;
    case PXL_TENSOR_TYPE_F16: c.f32_to_f16(source.data(), w.bytes.data(), n * k); break;
    case PXL_TENSOR_TYPE_BF16: c.f32_to_bf16(source.data(), w.bytes.data(), n * k); break;
    case PXL_TENSOR_TYPE_Q8_0: c.f32_to_q8_0(source.data(), w.bytes.data(), n * k); break;
    default: c.f32_to_q4_0(source.data(), w.bytes.data(), n * k); break;
    }
    switch (t.type) {
    case PXL_TENSOR_TYPE_F32: w.values = source; break;
    case PXL_TENSOR_TYPE_F16: c.f16_to_f32(w.bytes.data(), w.values.data(), n * k); break;
    case PXL_TENSOR_TYPE_BF16: c.bf16_to_f32(w.bytes.data(), w.values.data(), n * k); break;
    case PXL_TENSOR_TYPE_Q8_0: c.q8_0_to_f32(w.bytes.data(), w.values.data(), n * k); break;
    default: c.q4_0_to_f32(w.bytes.data(), w.values.data(), n * k); break;
    }
    return w;
}

std::vector<float> make_activations(int64_t m, int64_t k, uint32_t seed) {
    std::vector<float> x(static_cast<size_t>(m * k));
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float& v : x) v = normal(rng);
    return x;
}

std::vector<float> run_matmul(const cpu::kernel_table& kernels, int threads, const weight_type& t, const void* w,
                              int64_t n, int64_t k, const std::vector<float>& x, int64_t m) {
    thread_pool pool(threads);
    std::vector<uint8_t> workspace(cpu::matmul_workspace_bytes(t.type, m, k) + 2);
    std::vector<float> y(static_cast<size_t>(m * n), std::nanf(""));
    cpu::matmul(kernels, pool, {t.type, w, n, k}, x.data(), m, y.data(), workspace.data());
    return y;
}

struct shape {
    int64_t m, n, k;
};

// Float weights take any k; quantized ones multiples of 32. m covers a single row, partial groups
// of k_dot_rows and more than one X block at k = 4096 (the block is 256 KiB of activations).
const shape k_float_shapes[] = {{1, 1, 1}, {1, 37, 7}, {2, 9, 33}, {3, 5, 96}, {5, 17, 1003}, {7, 33, 256}, {70, 19, 4096}};
const shape k_quant_shapes[] = {{1, 1, 32}, {1, 37, 64}, {2, 9, 96}, {5, 17, 1024}, {7, 33, 256}, {70, 19, 4096}};

class matmul_levels : public testing::TestWithParam<std::tuple<pxl_cpu_isa, weight_type>> {
protected:
    void SetUp() override {
        const std::string reason = skip_reason(std::get<0>(GetParam()));
        if (!reason.empty()) GTEST_SKIP() << reason;
        level_ = cpu::kernels_for(std::get<0>(GetParam()));
    }
    const weight_type& type() const { return std::get<1>(GetParam()); }
    const cpu::kernel_table* level_ = nullptr;
};

TEST_P(matmul_levels, matches_scalar_and_the_f64_golden) {
    const cpu::kernel_table& scalar = *cpu::kernels_for(PXL_CPU_ISA_SCALAR);
    uint32_t seed = 10;
    for (const shape& s : quantized(type()) ? std::vector<shape>(std::begin(k_quant_shapes), std::end(k_quant_shapes))
                                            : std::vector<shape>(std::begin(k_float_shapes), std::end(k_float_shapes))) {
        SCOPED_TRACE("m " + std::to_string(s.m) + " n " + std::to_string(s.n) + " k " + std::to_string(s.k));
        const weights w = make_weights(type(), s.n, s.k, ++seed);
        std::vector<float> x = make_activations(s.m, s.k, ++seed);
        const std::vector<float> expected = run_matmul(scalar, 1, type(), w.bytes.data(), s.n, s.k, x, s.m);
        const std::vector<float> actual = run_matmul(*level_, 2, type(), w.bytes.data(), s.n, s.k, x, s.m);
        // Quantized weights see the activations as their Q8_0 values.
        std::vector<float> xv = x;
        if (quantized(type())) {
            std::vector<cpu::block_q8_0> xq(static_cast<size_t>(s.m * s.k / 32));
            scalar.convert->f32_to_q8_0(x.data(), xq.data(), s.m * s.k);
            scalar.convert->q8_0_to_f32(xq.data(), xv.data(), s.m * s.k);
        }
        for (int64_t r = 0; r < s.m; ++r) {
            for (int64_t c = 0; c < s.n; ++c) {
                double exact = 0.0, magnitude = 0.0;
                for (int64_t i = 0; i < s.k; ++i) {
                    const double p = double{w.values[c * s.k + i]} * xv[r * s.k + i];
                    exact += p;
                    magnitude += std::fabs(p);
                }
                const double bound = 16.0 * 0x1p-24 * magnitude;
                const size_t at = static_cast<size_t>(r * s.n + c);
                ASSERT_NEAR(actual[at], expected[at], 2.0 * bound) << "row " << r << " column " << c;
                ASSERT_NEAR(expected[at], exact, bound) << "scalar, row " << r << " column " << c;
                ASSERT_NEAR(actual[at], exact, bound) << "row " << r << " column " << c;
            }
        }
    }
}

TEST_P(matmul_levels, is_bit_identical_for_any_thread_count_and_row_grouping) {
    const shape s{37, 45, 512};
    const weights w = make_weights(type(), s.n, s.k, 3);
    const std::vector<float> x = make_activations(s.m, s.k, 4);
    const std::vector<float> one = run_matmul(*level_, 1, type(), w.bytes.data(), s.n, s.k, x, s.m);
    const std::vector<float> three = run_matmul(*level_, 3, type(), w.bytes.data(), s.n, s.k, x, s.m);
    EXPECT_EQ(std::memcmp(one.data(), three.data(), one.size() * sizeof(float)), 0);
    // Row 5 alone (decode) equals row 5 of the batch (prefill groups it with rows 4..7).
    const std::vector<float> row5(x.begin() + 5 * s.k, x.begin() + 6 * s.k);
    const std::vector<float> alone = run_matmul(*level_, 3, type(), w.bytes.data(), s.n, s.k, row5, 1);
    EXPECT_EQ(std::memcmp(alone.data(), one.data() + 5 * s.n, alone.size() * sizeof(float)), 0);
}

std::string level_name(const testing::TestParamInfo<matmul_levels::ParamType>& info) {
    return std::string(cpu::isa_name(std::get<0>(info.param))) + "_" + std::get<1>(info.param).name;
}

INSTANTIATE_TEST_SUITE_P(all_levels, matmul_levels, testing::Combine(testing::ValuesIn(k_all_levels), testing::ValuesIn(k_types)),
                         level_name);

// The integer block dot products, exactly: weights with arbitrary int8 / nibble values (Q8_0's
// -128 included) and activations with int8 values in [-127, 127], scales 1/2 or 1. Every partial
// sum, in any order, is a multiple of 1/4 bounded by sum_i |w_i x_i| d_i; the test checks that this
// stays below 2^24 / 4, so every f32 operation is exact and any difference is an integer bug.
class quant_dot_exact : public testing::TestWithParam<pxl_cpu_isa> {};

TEST_P(quant_dot_exact, block_dot_products_are_exact_integers) {
    const std::string reason = skip_reason(GetParam());
    if (!reason.empty()) GTEST_SKIP() << reason;
    const cpu::dot_kernels& level = *cpu::kernels_for(GetParam())->dot;
    const cpu::dot_kernels& scalar = *cpu::kernels_for(PXL_CPU_ISA_SCALAR)->dot;
    constexpr int64_t k = 512, blocks = k / 32;
    const uint16_t scales[] = {cpu::f32_to_f16(0.5f), cpu::f32_to_f16(1.0f)};
    std::mt19937 rng(7);
    std::vector<cpu::block_q8_0> x(static_cast<size_t>(cpu::k_dot_rows * blocks));
    for (cpu::block_q8_0& b : x) {
        b.d = scales[rng() % 2];
        for (int8_t& q : b.qs) q = static_cast<int8_t>(static_cast<int>(rng() % 255) - 127);
    }
    std::vector<cpu::block_q8_0> w8(static_cast<size_t>(blocks));
    std::vector<cpu::block_q4_0> w4(static_cast<size_t>(blocks));
    for (int64_t b = 0; b < blocks; ++b) {
        w8[b].d = w4[b].d = scales[rng() % 2];
        // Block 0 holds the extremes: -128 (Q8_0) and -8 (Q4_0) in every lane.
        for (int8_t& q : w8[b].qs) q = b == 0 ? int8_t{-128} : static_cast<int8_t>(rng());
        for (uint8_t& q : w4[b].qs) q = b == 0 ? uint8_t{0} : static_cast<uint8_t>(rng());
    }
    for (int64_t r = 0; r < cpu::k_dot_rows; ++r) {
        double magnitude = 0.0;  // in units of 1/4
        for (int64_t b = 0; b < blocks; ++b) {
            const cpu::block_q8_0& xb = x[static_cast<size_t>(r * blocks + b)];
            const double d = 4.0 * cpu::f16_to_f32(w8[b].d) * cpu::f16_to_f32(xb.d);
            for (int j = 0; j < 32; ++j) magnitude += std::abs(w8[b].qs[j] * xb.qs[j]) * d;
        }
        ASSERT_LT(magnitude, 0x1p24) << "the test data no longer keeps f32 exact";
    }
    // The q8_activations layout of x, as matmul builds it.
    std::vector<int8_t> qs;
    std::vector<float> d;
    std::vector<int32_t> offset;
    for (const cpu::block_q8_0& b : x) {
        int32_t sum = 0;
        for (const int8_t q : b.qs) {
            qs.push_back(q);
            sum += q;
        }
        d.push_back(cpu::f16_to_f32(b.d));
        offset.push_back(-8 * sum);
    }
    const cpu::q8_activations xa{qs.data(), d.data(), offset.data(), k};
    for (int rows = 1; rows <= cpu::k_dot_rows; ++rows) {
        float expected[cpu::k_dot_rows], actual[cpu::k_dot_rows];
        scalar.q8_0(w8.data(), xa, rows, expected, 1);
        level.q8_0(w8.data(), xa, rows, actual, 1);
        EXPECT_EQ(std::memcmp(expected, actual, sizeof(float) * static_cast<size_t>(rows)), 0) << "q8_0, rows " << rows;
        scalar.q4_0(w4.data(), xa, rows, expected, 1);
        level.q4_0(w4.data(), xa, rows, actual, 1);
        EXPECT_EQ(std::memcmp(expected, actual, sizeof(float) * static_cast<size_t>(rows)), 0) << "q4_0, rows " << rows;
    }
}

INSTANTIATE_TEST_SUITE_P(all_levels, quant_dot_exact, testing::ValuesIn(k_all_levels),
                         [](const testing::TestParamInfo<pxl_cpu_isa>& info) { return std::string(cpu::isa_name(info.param)); });

TEST(matmul, rejects_bad_arguments) {
    thread_pool pool(1);
    const cpu::kernel_table& kernels = cpu::active_kernels();
    float x[64] = {}, y[4] = {};
    uint8_t w[256] = {};
    EXPECT_THROW(cpu::matmul(kernels, pool, {PXL_TENSOR_TYPE_Q4_1, w, 1, 32}, x, 1, y, w), pxl::error);
    EXPECT_THROW(cpu::matmul(kernels, pool, {PXL_TENSOR_TYPE_Q4_0, w, 1, 48}, x, 1, y, w), pxl::error);
    EXPECT_THROW(cpu::matmul(kernels, pool, {PXL_TENSOR_TYPE_Q8_0, w, 1, 32}, x, 1, y, nullptr), pxl::error);
    EXPECT_EQ(cpu::matmul_workspace_bytes(PXL_TENSOR_TYPE_F16, 8, 64), 0u);
    EXPECT_EQ(cpu::matmul_workspace_bytes(PXL_TENSOR_TYPE_Q4_0, 8, 64), 8u * (64u + 2u * 8u));
}

} // namespace
} // namespace pxl::test
