// dense_attention (cpu/dense_attention.h) at every kernel level against the fused attention kernel of
// the scalar level (every position 0: nothing causal, the same key mask), on shapes that are no
// multiple of any tile (37 and 130 positions, head sizes 16 and 48), with and without padded keys.
//
// Bounds, relative to the largest |output| of the case. F32: both compute the same softmax-weighted
// sums in f32 in different orders (blocked GEMM vs online softmax with rescaling); measured ~1e-6,
// bound 1e-5. BF16: q, k, the probabilities and v are rounded to bf16 (8 significant bits) before
// f32 accumulation, ~2^-9 relative per product; bound 2e-2, while a wrong mask or head offset gives
// errors of the whole range.
#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/attention.h"
#include "cpu/dense_attention.h"
#include "cpu/isa_levels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace pxl::test {
namespace {

struct attention_case {
    int64_t n;
    int n_head;
    int head_size;
    bool masked;
};

const attention_case k_cases[] = {{37, 3, 16, false}, {37, 3, 16, true}, {130, 2, 48, true}, {1, 1, 16, false}};

std::vector<float> random_rows(int64_t count, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(count));
    for (float& x : v) x = normal(rng);
    return v;
}

using param = std::tuple<pxl_cpu_isa, cpu::gemm_precision>;

class dense_attention_levels : public testing::TestWithParam<param> {};

TEST_P(dense_attention_levels, matches_the_fused_kernel) {
    const std::string reason = skip_reason(std::get<0>(GetParam()));
    if (!reason.empty()) GTEST_SKIP() << reason;
    const cpu::kernel_table& level = *cpu::kernels_for(std::get<0>(GetParam()));
    const cpu::gemm_precision precision = std::get<1>(GetParam());
    if (!cpu::gemm_supports(level, precision)) GTEST_SKIP() << "no BF16 micro-kernel at this level";
    const cpu::kernel_table& scalar = *cpu::kernels_for(PXL_CPU_ISA_SCALAR);
    const double bound = precision == cpu::gemm_precision::bf16 ? 2e-2 : 1e-5;
    uint32_t seed = 40;
    for (const attention_case& c : k_cases) {
        SCOPED_TRACE("n " + std::to_string(c.n) + " heads " + std::to_string(c.n_head) + " x " +
                     std::to_string(c.head_size) + (c.masked ? " masked" : ""));
        const int64_t ld = static_cast<int64_t>(c.n_head) * c.head_size + 5; // rows wider than the heads
        std::vector<float> q = random_rows(c.n * ld, ++seed), k = random_rows(c.n * ld, ++seed),
                           v = random_rows(c.n * ld, ++seed);
        const float scale = 1.0f / std::sqrt(static_cast<float>(c.head_size));
        std::vector<uint64_t> mask(static_cast<size_t>((c.n + 63) / 64), 0);
        if (c.masked)
            for (int64_t j = 2; j < c.n; j += 3) mask[static_cast<size_t>(j / 64)] |= uint64_t{1} << (j % 64);

        // Reference: the fused kernel wants packed [n][heads][head_size] rows and scales itself.
        const int64_t width = static_cast<int64_t>(c.n_head) * c.head_size;
        std::vector<float> qp(static_cast<size_t>(c.n * width)), kp(qp.size()), vp(qp.size()), expected(qp.size());
        for (int64_t i = 0; i < c.n; ++i)
            for (int64_t j = 0; j < width; ++j) {
                qp[i * width + j] = q[i * ld + j];
                kp[i * width + j] = k[i * ld + j];
                vp[i * width + j] = v[i * ld + j];
            }
        std::vector<int32_t> positions(static_cast<size_t>(c.n), 0);
        thread_pool one(1);
        cpu::attention_args fused{};
        fused.q = qp.data();
        fused.pos_q = positions.data();
        fused.n_q = c.n;
        fused.k = kp.data();
        fused.v = vp.data();
        fused.pos_k = positions.data();
        fused.key_masked = mask.data();
        fused.n_kv = c.n;
        fused.kv_type = PXL_TENSOR_TYPE_F32;
        fused.n_head = c.n_head;
        fused.n_head_kv = c.n_head;
        fused.head_size = c.head_size;
        fused.out = expected.data();
        cpu::attention(scalar, one, fused);

        for (int64_t i = 0; i < c.n * ld; ++i) q[static_cast<size_t>(i)] *= scale;
        for (int threads : {1, 3}) {
            thread_pool pool(threads);
            std::vector<float> scratch(cpu::dense_attention_scratch_floats(c.n, c.head_size));
            std::vector<float> workspace(
                cpu::dense_attention_gemm_workspace_bytes(level, precision, c.n, c.head_size, threads) / 4 + 16);
            auto* aligned = reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(workspace.data()) + 63) & ~uintptr_t{63});
            std::vector<float> out(static_cast<size_t>(c.n * ld), -9.0f);
            cpu::dense_attention_args args{q.data(), k.data(), v.data(), c.n, c.n_head, c.head_size, ld,
                                           mask.data(), out.data(), precision};
            cpu::dense_attention(level, pool, args, scratch.data(), aligned);
            double largest = 0.0, worst = 0.0;
            for (int64_t i = 0; i < c.n; ++i) {
                for (int64_t j = 0; j < ld; ++j) {
                    const float got = out[static_cast<size_t>(i * ld + j)];
                    if (j >= width) {
                        ASSERT_EQ(got, -9.0f) << "row " << i << ": column " << j << " is beyond the heads";
                        continue;
                    }
                    const float want = expected[static_cast<size_t>(i * width + j)];
                    largest = std::max(largest, std::fabs(double{want}));
                    worst = std::max(worst, std::fabs(double{got} - want));
                }
            }
            EXPECT_LE(worst, bound * largest) << threads << " threads";
        }
    }
}

std::string param_name(const testing::TestParamInfo<param>& info) {
    return std::string(cpu::isa_name(std::get<0>(info.param))) +
           (std::get<1>(info.param) == cpu::gemm_precision::bf16 ? "_bf16" : "_f32");
}

INSTANTIATE_TEST_SUITE_P(all_levels, dense_attention_levels,
                         testing::Combine(testing::ValuesIn(k_all_levels),
                                          testing::Values(cpu::gemm_precision::f32, cpu::gemm_precision::bf16)),
                         param_name);

} // namespace
} // namespace pxl::test
