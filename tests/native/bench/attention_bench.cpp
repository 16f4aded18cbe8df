// Fused attention with an F16 cache: decode (one query) at 512 and 2048 tokens of context, and a
// 512-token prefill, at LLaMA-7B (32 heads of 128, no GQA) and TinyLlama (32 heads of 64 sharing 4
// kv heads) shapes, every level and thread count. Names:
// attention/<decode|prefill>/<context>/<model>/<level>/threads:<t>.
#include "bench_levels.h"
#include "core/aligned_buffer.h"
#include "core/thread_pool.h"
#include "cpu/attention.h"
#include "cpu/cpu_features.h"
#include "cpu/half_float.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace pxl::bench {
namespace {

struct model_shape {
    const char* name;
    int n_head, n_head_kv, head_size;
};
const model_shape k_models[] = {{"llama7b", 32, 32, 128}, {"tinyllama", 32, 4, 64}};

void run_attention(benchmark::State& state, const cpu::kernel_table* level, model_shape model, int64_t n_q, int64_t n_kv,
                   int threads) {
    uint32_t seed = 3;
    std::vector<float> q(static_cast<size_t>(n_q * model.n_head * model.head_size));
    for (float& v : q) v = next_uniform(seed);
    std::vector<uint16_t> k(static_cast<size_t>(n_kv * model.n_head_kv * model.head_size));
    std::vector<uint16_t> v(k.size());
    for (uint16_t& h : k) h = cpu::f32_to_f16(next_uniform(seed));
    for (uint16_t& h : v) h = cpu::f32_to_f16(next_uniform(seed));
    std::vector<int32_t> pos_k(static_cast<size_t>(n_kv)), pos_q(static_cast<size_t>(n_q));
    for (int64_t j = 0; j < n_kv; ++j) pos_k[static_cast<size_t>(j)] = static_cast<int32_t>(j);
    for (int64_t i = 0; i < n_q; ++i) pos_q[static_cast<size_t>(i)] = static_cast<int32_t>(n_kv - n_q + i);
    std::vector<float> out(q.size());
    thread_pool pool(threads);
    const cpu::attention_args args{q.data(), pos_q.data(), n_q, k.data(), v.data(), pos_k.data(), nullptr, n_kv,
                                   PXL_TENSOR_TYPE_F16, model.n_head, model.n_head_kv, model.head_size, out.data()};
    for (auto _ : state) {
        cpu::attention(*level, pool, args);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    // Multiply-adds of QK^T and PV over the visible (causal) keys.
    double pairs = 0.0;
    for (int64_t i = 0; i < n_q; ++i) pairs += static_cast<double>(pos_q[static_cast<size_t>(i)] + 1);
    state.counters["GFLOP/s"] = benchmark::Counter(4.0 * pairs * model.n_head * model.head_size / 1e9,
                                                   benchmark::Counter::kIsIterationInvariantRate);
}

[[maybe_unused]] const bool registered = [] {
    const struct {
        const char* name;
        int64_t n_q, n_kv;
    } cases[] = {{"decode/512", 1, 512}, {"decode/2048", 1, 2048}, {"prefill/512", 512, 512}};
    for (const auto& c : cases) {
        for (const model_shape& model : k_models) {
            for (const cpu::kernel_table* level : levels()) {
                for (const int threads : k_thread_counts) {
                    const std::string name = std::string("attention/") + c.name + "/" + model.name + "/" +
                                             cpu::isa_name(level->isa) + "/threads:" + std::to_string(threads);
                    benchmark::RegisterBenchmark(name.c_str(), run_attention, level, model, c.n_q, c.n_kv, threads)
                        ->UseRealTime()
                        ->Unit(benchmark::kMillisecond);
                }
            }
        }
    }
    return true;
}();

} // namespace
} // namespace pxl::bench
