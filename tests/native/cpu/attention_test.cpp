// Fused attention (cpu/attention.h) at every level against a naive golden: materialised scores,
// softmax and weighted sum in f64 over the same stored K / V values. Odd lengths, prefill and
// decode, masked key holes (spec §5.4), GQA ratios 1, 2, 4, head sizes 16 / 64 / 80 / 128 and the
// odd sizes of narrow models (1, 4, 8, 20, 36, 250: the vector loops' tails), F16 and F32 caches,
// and non-causal use (every position 0: the pixel decoder's attention, spec §8.2).
//
// Bound: |out - golden| <= 1e-5 * max|v|. The f32 score of a head_size-long dot product is off by
// about sqrt(head_size) ulp of |q||k|, which moves each probability by that relative amount; the
// exp, the running sums and the tile rescaling add a few ulp each; 1e-5 (~170 ulp) covers scores of
// magnitude up to ~10 with room to spare and still catches any indexing or masking error, which
// moves outputs by O(max|v|).
#include "core/error.h"
#include "core/thread_pool.h"
#include "cpu/attention.h"
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

// Normal V values stay below this in magnitude (the scale of the bound).
constexpr double k_max_v = 5.0;

struct attention_case {
    int64_t n_q, n_kv;  // n_q == n_kv: prefill; n_q == 1: decode of the last position
    int n_head, n_head_kv, head_size;
    pxl_tensor_type kv_type;
    bool holes;
    bool non_causal = false;  // every position 0: all keys visible to all queries
};

std::string describe(const attention_case& c) {
    return "n_q " + std::to_string(c.n_q) + " n_kv " + std::to_string(c.n_kv) + " heads " + std::to_string(c.n_head) + "/" +
           std::to_string(c.n_head_kv) + " head_size " + std::to_string(c.head_size) +
           (c.kv_type == PXL_TENSOR_TYPE_F16 ? " f16" : " f32") + (c.holes ? " holes" : "") +
           (c.non_causal ? " non-causal" : "");
}

struct attention_data {
    std::vector<float> q;            // [n_q][n_head][head_size]
    std::vector<float> k_values;     // [n_kv][n_head_kv][head_size] as stored (f16-rounded for F16)
    std::vector<float> v_values;
    std::vector<uint8_t> k, v;       // the cache bytes
    std::vector<int32_t> pos_q, pos_k;
    std::vector<uint64_t> masked;    // bitmap, key j hidden
};

attention_data make_data(const attention_case& c, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    attention_data d;
    d.q.resize(static_cast<size_t>(c.n_q * c.n_head * c.head_size));
    for (float& x : d.q) x = 2.0f * normal(rng);
    const size_t kv = static_cast<size_t>(c.n_kv * c.n_head_kv * c.head_size);
    d.k_values.resize(kv);
    d.v_values.resize(kv);
    const bool f16 = c.kv_type == PXL_TENSOR_TYPE_F16;
    d.k.resize(kv * (f16 ? 2 : 4));
    d.v.resize(kv * (f16 ? 2 : 4));
    for (size_t i = 0; i < kv; ++i) {
        for (auto [values, bytes] : {std::pair{&d.k_values, &d.k}, std::pair{&d.v_values, &d.v}}) {
            const float x = normal(rng);
            if (f16) {
                const uint16_t h = cpu::f32_to_f16(x);
                std::memcpy(bytes->data() + 2 * i, &h, 2);
                (*values)[i] = cpu::f16_to_f32(h);
            } else {
                std::memcpy(bytes->data() + 4 * i, &x, 4);
                (*values)[i] = x;
            }
        }
    }
    for (int64_t j = 0; j < c.n_kv; ++j) d.pos_k.push_back(c.non_causal ? 0 : static_cast<int32_t>(j));
    for (int64_t i = 0; i < c.n_q; ++i) d.pos_q.push_back(c.non_causal ? 0 : static_cast<int32_t>(c.n_kv - c.n_q + i));
    d.masked.assign(static_cast<size_t>((c.n_kv + 63) / 64), 0);
    if (c.holes) {
        // Key 0 (so query 0 of a prefill sees nothing), a short run, and a tile-crossing run.
        for (int64_t j = 0; j < c.n_kv; ++j)
            if (j == 0 || (j >= 3 && j < 6) || (j >= 60 && j < 140)) d.masked[static_cast<size_t>(j / 64)] |= uint64_t{1} << (j % 64);
    }
    return d;
}

std::vector<float> run(const cpu::kernel_table& kernels, int threads, const attention_case& c, const attention_data& d) {
    std::vector<float> out(static_cast<size_t>(c.n_q * c.n_head * c.head_size), std::nanf(""));
    thread_pool pool(threads);
    const cpu::attention_args args{d.q.data(), d.pos_q.data(), c.n_q, d.k.data(), d.v.data(), d.pos_k.data(),
                                   c.holes ? d.masked.data() : nullptr, c.n_kv, c.kv_type, c.n_head, c.n_head_kv,
                                   c.head_size, out.data()};
    cpu::attention(kernels, pool, args);
    return out;
}

void expect_matches_golden(const attention_case& c, const attention_data& d, const std::vector<float>& out) {
    const int group = c.n_head / c.n_head_kv;
    const double scale = 1.0 / std::sqrt(static_cast<double>(c.head_size));
    std::vector<double> s(static_cast<size_t>(c.n_kv));
    for (int64_t i = 0; i < c.n_q; ++i) {
        for (int h = 0; h < c.n_head; ++h) {
            const int kvh = h / group;
            const float* q = d.q.data() + (i * c.n_head + h) * c.head_size;
            double max = -INFINITY;
            for (int64_t j = 0; j < c.n_kv; ++j) {
                const bool hidden = c.holes && ((d.masked[static_cast<size_t>(j / 64)] >> (j % 64)) & 1u);
                if (d.pos_k[j] > d.pos_q[i] || hidden) {
                    s[j] = -INFINITY;
                    continue;
                }
                const float* k = d.k_values.data() + (j * c.n_head_kv + kvh) * c.head_size;
                double dot = 0.0;
                for (int t = 0; t < c.head_size; ++t) dot += double{q[t]} * k[t];
                s[j] = dot * scale;
                max = std::max(max, s[j]);
            }
            double den = 0.0;
            for (int64_t j = 0; j < c.n_kv; ++j) {
                s[j] = s[j] == -INFINITY ? 0.0 : std::exp(s[j] - max);
                den += s[j];
            }
            const float* o = out.data() + (i * c.n_head + h) * c.head_size;
            for (int t = 0; t < c.head_size; ++t) {
                double num = 0.0;
                for (int64_t j = 0; j < c.n_kv; ++j) num += s[j] * d.v_values[(j * c.n_head_kv + kvh) * c.head_size + t];
                const double expected = den == 0.0 ? 0.0 : num / den;  // nothing visible: zeros
                ASSERT_NEAR(o[t], expected, 1e-5 * k_max_v) << "query " << i << " head " << h << " lane " << t;
            }
        }
    }
}

class attention_levels : public testing::TestWithParam<pxl_cpu_isa> {
protected:
    void SetUp() override {
        const std::string reason = skip_reason(GetParam());
        if (!reason.empty()) GTEST_SKIP() << reason;
        level_ = cpu::kernels_for(GetParam());
    }
    const cpu::kernel_table* level_ = nullptr;
};

TEST_P(attention_levels, matches_the_naive_f64_golden) {
    constexpr pxl_tensor_type f16 = PXL_TENSOR_TYPE_F16, f32 = PXL_TENSOR_TYPE_F32;
    const attention_case cases[] = {
        {1, 1, 2, 2, 16, f16, false},     {7, 7, 4, 2, 16, f32, true},     {33, 33, 4, 1, 64, f16, true},
        {250, 250, 4, 4, 80, f32, false}, {250, 250, 8, 2, 128, f16, true}, {1, 250, 8, 2, 128, f16, true},
        {1, 1029, 4, 4, 64, f32, true},   {5, 300, 8, 4, 80, f16, false},  {1029, 1029, 4, 2, 64, f16, true},
        // Head sizes off the vector widths, non-causal as in the pixel decoder (tiny model: width
        // 64, 8 heads, cross-attention at half width: head sizes 8 and 4).
        {6, 6, 8, 8, 8, f32, false, true},      {6, 300, 8, 8, 4, f32, false, true},
        {300, 6, 8, 8, 4, f32, false, true},    {6, 1029, 8, 8, 16, f32, false, true},
        {5, 70, 2, 1, 1, f16, true},            {7, 130, 3, 3, 20, f16, false, true},
        {9, 9, 2, 2, 36, f32, true},            {3, 40, 1, 1, 250, f16, false, true},
    };
    uint32_t seed = 1;
    for (const attention_case& c : cases) {
        SCOPED_TRACE(describe(c));
        const attention_data d = make_data(c, ++seed);
        expect_matches_golden(c, d, run(*level_, 2, c, d));
    }
}

TEST_P(attention_levels, is_bit_identical_for_any_thread_count) {
    const attention_case c{70, 70, 8, 2, 64, PXL_TENSOR_TYPE_F16, true};
    const attention_data d = make_data(c, 9);
    const std::vector<float> one = run(*level_, 1, c, d);
    const std::vector<float> three = run(*level_, 3, c, d);
    EXPECT_EQ(std::memcmp(one.data(), three.data(), one.size() * sizeof(float)), 0);
}

INSTANTIATE_TEST_SUITE_P(all_levels, attention_levels, testing::ValuesIn(k_all_levels),
                         [](const testing::TestParamInfo<pxl_cpu_isa>& info) { return std::string(cpu::isa_name(info.param)); });

TEST(attention, rejects_bad_shapes) {
    thread_pool pool(1);
    float q[16] = {}, out[16] = {};
    uint16_t kv[16] = {};
    const int32_t pos[1] = {0};
    cpu::attention_args args{q, pos, 1, kv, kv, pos, nullptr, 1, PXL_TENSOR_TYPE_F16, 1, 1, 16, out};
    args.head_size = 0;
    EXPECT_THROW(cpu::attention(cpu::active_kernels(), pool, args), pxl::error);
    args.head_size = 257;
    EXPECT_THROW(cpu::attention(cpu::active_kernels(), pool, args), pxl::error);
    args.head_size = 16;
    args.n_head = 3;
    args.n_head_kv = 2;
    EXPECT_THROW(cpu::attention(cpu::active_kernels(), pool, args), pxl::error);
    args.n_head = args.n_head_kv = 1;
    args.kv_type = PXL_TENSOR_TYPE_BF16;
    EXPECT_THROW(cpu::attention(cpu::active_kernels(), pool, args), pxl::error);
}

} // namespace
} // namespace pxl::test
