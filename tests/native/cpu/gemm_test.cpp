// gemm (cpu/gemm.h) at every kernel level against the scalar micro-kernels and an f64 golden, for
// F32 / F16 / BF16 operands, both precisions, shapes that are no multiple of any tile or block
// (m, n, k odd; k across several inner blocks), leading dimensions wider than the rows, and 1 vs 3
// threads.
//
// Bounds. F32: the golden multiplies the exact operand values (F16 / BF16 widen exactly); any
// summation order is within k 2^-24 sum|a b| and on random data far less, so as in matmul_test we
// require 16 ulp of sum|a b| against the golden and 32 between level and scalar. BF16: the golden
// multiplies the operands rounded to bf16 (round to nearest even, the rule both sides use), each
// product is then exact in f32 and only the f32 additions round: the same bounds hold.
#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/gemm.h"
#include "cpu/half_float.h"
#include "cpu/isa_levels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace pxl::test {
namespace {

struct operand_type {
    pxl_tensor_type type;
    const char* name;
};

const operand_type k_types[] = {{PXL_TENSOR_TYPE_F32, "f32"}, {PXL_TENSOR_TYPE_F16, "f16"}, {PXL_TENSOR_TYPE_BF16, "bf16"}};

struct shape {
    int64_t m, n, k;
};

const shape k_shapes[] = {{1, 1, 1}, {1, 9, 3}, {13, 33, 7}, {37, 130, 300}, {5, 17, 513}, {50, 70, 1100}};

// B [n][ld] encoded in `type`, and its exact values [n][k].
struct operand {
    std::vector<uint16_t> half;  // F16 / BF16 storage
    std::vector<float> full;     // F32 storage
    std::vector<float> values;   // [n][k]
    const void* data(pxl_tensor_type type) const {
        return type == PXL_TENSOR_TYPE_F32 ? static_cast<const void*>(full.data()) : half.data();
    }
};

operand make_b(pxl_tensor_type type, int64_t n, int64_t k, int64_t ld, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    operand b;
    b.full.assign(static_cast<size_t>(n * ld), 0.0f);
    b.half.assign(static_cast<size_t>(n * ld), 0);
    b.values.resize(static_cast<size_t>(n * k));
    for (int64_t j = 0; j < n; ++j) {
        for (int64_t p = 0; p < k; ++p) {
            const float v = normal(rng);
            const size_t at = static_cast<size_t>(j * ld + p);
            float exact = v;
            if (type == PXL_TENSOR_TYPE_F32) b.full[at] = v;
            if (type == PXL_TENSOR_TYPE_F16) exact = cpu::f16_to_f32(b.half[at] = cpu::f32_to_f16(v));
            if (type == PXL_TENSOR_TYPE_BF16) exact = cpu::bf16_to_f32(b.half[at] = cpu::f32_to_bf16(v));
            b.values[static_cast<size_t>(j * k + p)] = exact;
        }
    }
    return b;
}

std::vector<float> make_a(int64_t m, int64_t lda, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> a(static_cast<size_t>(m * lda));
    for (float& v : a) v = normal(rng);
    return a;
}

float as_precision(float v, cpu::gemm_precision precision) {
    return precision == cpu::gemm_precision::bf16 ? cpu::bf16_to_f32(cpu::f32_to_bf16(v)) : v;
}

std::vector<float> run_gemm(const cpu::kernel_table& kernels, int threads, cpu::gemm_precision precision,
                            const std::vector<float>& a, int64_t lda, int64_t m, const cpu::gemm_b& b, int64_t ldc) {
    thread_pool pool(threads);
    std::vector<float> workspace(cpu::gemm_workspace_bytes(kernels, precision, m, b.k, threads) / 4 + 16);
    auto* aligned = reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(workspace.data()) + 63) & ~uintptr_t{63});
    std::vector<float> c(static_cast<size_t>(m * ldc), -7.0f);  // the gaps between rows must survive
    cpu::gemm(kernels, pool, precision, a.data(), lda, m, b, c.data(), ldc, aligned);
    return c;
}

using param = std::tuple<pxl_cpu_isa, operand_type, cpu::gemm_precision>;

class gemm_levels : public testing::TestWithParam<param> {
protected:
    void SetUp() override {
        const std::string reason = skip_reason(std::get<0>(GetParam()));
        if (!reason.empty()) GTEST_SKIP() << reason;
        level_ = cpu::kernels_for(std::get<0>(GetParam()));
        if (!cpu::gemm_supports(*level_, precision())) GTEST_SKIP() << "no BF16 micro-kernel at this level";
    }
    pxl_tensor_type type() const { return std::get<1>(GetParam()).type; }
    cpu::gemm_precision precision() const { return std::get<2>(GetParam()); }
    const cpu::kernel_table* level_ = nullptr;
};

TEST_P(gemm_levels, matches_scalar_and_the_f64_golden) {
    const cpu::kernel_table& scalar = *cpu::kernels_for(PXL_CPU_ISA_SCALAR);
    uint32_t seed = 20;
    for (const shape& s : k_shapes) {
        SCOPED_TRACE("m " + std::to_string(s.m) + " n " + std::to_string(s.n) + " k " + std::to_string(s.k));
        const int64_t lda = s.k + 3, ldb = s.k + 5, ldc = s.n + 2;
        const operand b = make_b(type(), s.n, s.k, ldb, ++seed);
        const std::vector<float> a = make_a(s.m, lda, ++seed);
        const cpu::gemm_b view{type(), b.data(type()), s.n, s.k, ldb};
        const std::vector<float> expected = run_gemm(scalar, 1, precision(), a, lda, s.m, view, ldc);
        const std::vector<float> actual = run_gemm(*level_, 2, precision(), a, lda, s.m, view, ldc);
        for (int64_t i = 0; i < s.m; ++i) {
            for (int64_t j = 0; j < ldc; ++j) {
                const size_t at = static_cast<size_t>(i * ldc + j);
                if (j >= s.n) {
                    ASSERT_EQ(actual[at], -7.0f) << "row " << i << ": column " << j << " is beyond n";
                    continue;
                }
                double exact = 0.0, magnitude = 0.0;
                for (int64_t p = 0; p < s.k; ++p) {
                    const double product = double{as_precision(a[static_cast<size_t>(i * lda + p)], precision())} *
                                           as_precision(b.values[static_cast<size_t>(j * s.k + p)], precision());
                    exact += product;
                    magnitude += std::fabs(product);
                }
                const double bound = 16.0 * 0x1p-24 * magnitude;
                ASSERT_NEAR(expected[at], exact, bound) << "scalar, row " << i << " column " << j;
                ASSERT_NEAR(actual[at], exact, bound) << "row " << i << " column " << j;
                ASSERT_NEAR(actual[at], expected[at], 2.0 * bound) << "row " << i << " column " << j;
            }
        }
    }
}

TEST_P(gemm_levels, is_bit_identical_for_any_thread_count) {
    const shape s{61, 200, 700};
    const operand b = make_b(type(), s.n, s.k, s.k, 5);
    const std::vector<float> a = make_a(s.m, s.k, 6);
    const cpu::gemm_b view{type(), b.data(type()), s.n, s.k, s.k};
    const std::vector<float> one = run_gemm(*level_, 1, precision(), a, s.k, s.m, view, s.n);
    const std::vector<float> three = run_gemm(*level_, 3, precision(), a, s.k, s.m, view, s.n);
    EXPECT_EQ(std::memcmp(one.data(), three.data(), one.size() * sizeof(float)), 0);
}

std::string param_name(const testing::TestParamInfo<param>& info) {
    return std::string(cpu::isa_name(std::get<0>(info.param))) + "_" + std::get<1>(info.param).name +
           (std::get<2>(info.param) == cpu::gemm_precision::bf16 ? "_bf16_compute" : "_f32_compute");
}

INSTANTIATE_TEST_SUITE_P(all_levels, gemm_levels,
                         testing::Combine(testing::ValuesIn(k_all_levels), testing::ValuesIn(k_types),
                                          testing::Values(cpu::gemm_precision::f32, cpu::gemm_precision::bf16)),
                         param_name);

TEST(gemm, refuses_bf16_without_a_micro_kernel_and_bad_operands) {
    const cpu::kernel_table& scalar = *cpu::kernels_for(PXL_CPU_ISA_SCALAR);
    thread_pool pool(1);
    std::vector<float> a(8, 1.0f), b(8, 1.0f), c(4, 0.0f);
    std::vector<float> workspace(cpu::gemm_workspace_bytes(scalar, cpu::gemm_precision::f32, 2, 4, 1) / 4 + 16);
    const cpu::gemm_b q{PXL_TENSOR_TYPE_Q8_0, b.data(), 2, 4, 4};
    EXPECT_THROW(cpu::gemm(scalar, pool, cpu::gemm_precision::f32, a.data(), 4, 2, q, c.data(), 2, workspace.data()),
                 error);
    const cpu::gemm_b narrow{PXL_TENSOR_TYPE_F32, b.data(), 2, 4, 3};
    EXPECT_THROW(cpu::gemm(scalar, pool, cpu::gemm_precision::f32, a.data(), 4, 2, narrow, c.data(), 2, workspace.data()),
                 error);
    if (const cpu::kernel_table* avx2 = cpu::kernels_for(PXL_CPU_ISA_AVX2)) {
        EXPECT_FALSE(cpu::gemm_supports(*avx2, cpu::gemm_precision::bf16));
        EXPECT_EQ(cpu::gemm_workspace_bytes(*avx2, cpu::gemm_precision::bf16, 2, 4, 1), 0u);
        const cpu::gemm_b ok{PXL_TENSOR_TYPE_F32, b.data(), 2, 4, 4};
        EXPECT_THROW(cpu::gemm(*avx2, pool, cpu::gemm_precision::bf16, a.data(), 4, 2, ok, c.data(), 2, workspace.data()),
                     error);
    }
}

} // namespace
} // namespace pxl::test
