// Weight x activation products at LLaMA-7B (4096 x 4096, 11008 x 4096) and TinyLlama (2048 x 2048,
// 5632 x 2048) shapes, every weight type, level and thread count. matvec (m = 1, decode) reports
// weight GB/s (q8_0x8 / q4_0x8: repacked, cpu/repack.h), the number to hold against the machine's memory bandwidth; matmul (m = 64, a prefill
// chunk) reports GFLOP/s. Names: <op>/<type>/<n>x<k>/<level>/threads:<t>.
#include "bench_levels.h"
#include "core/aligned_buffer.h"
#include "core/tensor_type.h"
#include "core/thread_pool.h"
#include "cpu/cpu_features.h"
#include "cpu/matmul.h"
#include "cpu/repack.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

namespace pxl::bench {
namespace {

constexpr int64_t k_prefill_rows = 64;

struct matrix_shape {
    int64_t n, k;
};
const matrix_shape k_shapes[] = {{4096, 4096}, {11008, 4096}, {2048, 2048}, {5632, 2048}};
struct weight_kind {
    const char* name;
    pxl_tensor_type type;
    cpu::weight_layout layout;
};
const weight_kind k_kinds[] = {{"f32", PXL_TENSOR_TYPE_F32, cpu::weight_layout::rows},
                               {"f16", PXL_TENSOR_TYPE_F16, cpu::weight_layout::rows},
                               {"bf16", PXL_TENSOR_TYPE_BF16, cpu::weight_layout::rows},
                               {"q8_0", PXL_TENSOR_TYPE_Q8_0, cpu::weight_layout::rows},
                               {"q4_0", PXL_TENSOR_TYPE_Q4_0, cpu::weight_layout::rows},
                               {"q8_0x8", PXL_TENSOR_TYPE_Q8_0, cpu::weight_layout::x8},
                               {"q4_0x8", PXL_TENSOR_TYPE_Q4_0, cpu::weight_layout::x8}};

// Weights of `type` quantized from uniform values (quantized with the active level: fast, and
// bit-identical to scalar).
aligned_buffer make_weights(pxl_tensor_type type, int64_t n, int64_t k) {
    const tensor_type_traits& traits = *find_tensor_type(type);
    aligned_buffer bytes(static_cast<size_t>(n * k / traits.block_elements * traits.block_bytes));
    std::vector<float> row(static_cast<size_t>(k));
    uint32_t seed = 1;
    const cpu::convert_kernels& convert = *cpu::active_kernels().convert;
    for (int64_t r = 0; r < n; ++r) {
        for (float& v : row) v = 0.05f * next_uniform(seed);
        void* dst = bytes.data_as<unsigned char>() + r * (k / traits.block_elements * traits.block_bytes);
        switch (type) {
        case PXL_TENSOR_TYPE_F16: convert.f32_to_f16(row.data(), dst, k); break;
        case PXL_TENSOR_TYPE_BF16: convert.f32_to_bf16(row.data(), dst, k); break;
        case PXL_TENSOR_TYPE_Q8_0: convert.f32_to_q8_0(row.data(), dst, k); break;
        case PXL_TENSOR_TYPE_Q4_0: convert.f32_to_q4_0(row.data(), dst, k); break;
        default: std::copy(row.begin(), row.end(), static_cast<float*>(dst)); break;
        }
    }
    return bytes;
}

void run_matmul(benchmark::State& state, const cpu::kernel_table* level, pxl_tensor_type type, matrix_shape shape,
                int64_t m, int threads, cpu::weight_layout layout) {
    aligned_buffer w = make_weights(type, shape.n, shape.k);
    if (layout == cpu::weight_layout::x8) {
        aligned_buffer packed(cpu::repacked_bytes(type, shape.n, shape.k));
        cpu::repack(type, w.data(), shape.n, shape.k, packed.data());
        w = std::move(packed);
    }
    aligned_buffer x(static_cast<size_t>(m * shape.k) * sizeof(float));
    uint32_t seed = 2;
    for (int64_t i = 0; i < m * shape.k; ++i) x.data_as<float>()[i] = next_uniform(seed);
    aligned_buffer y(static_cast<size_t>(m * shape.n) * sizeof(float));
    aligned_buffer workspace(cpu::matmul_workspace_bytes(type, m, shape.k));
    thread_pool pool(threads);
    const cpu::matmul_weights weights{type, w.data(), shape.n, shape.k, layout};
    for (auto _ : state) {
        cpu::matmul(*level, pool, weights, x.data_as<float>(), m, y.data_as<float>(), workspace.data());
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    if (m == 1)
        state.counters["GB/s"] = benchmark::Counter(static_cast<double>(w.size()) / 1e9, benchmark::Counter::kIsIterationInvariantRate);
    else
        state.counters["GFLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(m * shape.n * shape.k) / 1e9,
                                                       benchmark::Counter::kIsIterationInvariantRate);
}

[[maybe_unused]] const bool registered = [] {
    for (const int64_t m : {int64_t{1}, k_prefill_rows}) {
        for (const weight_kind kind : k_kinds) {
            for (const matrix_shape shape : k_shapes) {
                for (const cpu::kernel_table* level : levels()) {
                    for (const int threads : k_thread_counts) {
                        const std::string name = std::string(m == 1 ? "matvec/" : "matmul/") + kind.name + "/" +
                                                 std::to_string(shape.n) + "x" + std::to_string(shape.k) + "/" +
                                                 cpu::isa_name(level->isa) + "/threads:" + std::to_string(threads);
                        benchmark::RegisterBenchmark(name.c_str(), run_matmul, level, kind.type, shape, m, threads, kind.layout)
                            ->UseRealTime()
                            ->Unit(benchmark::kMillisecond);
                    }
                }
            }
        }
    }
    return true;
}();

} // namespace
} // namespace pxl::bench
