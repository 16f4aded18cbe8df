// The kernel levels a benchmark run covers: every level this CPU supports up to the active one
// (PIXELLM_ISA caps it, as in the tests), and the thread counts to try.
#pragma once

#include "cpu/kernels.h"

#include <cstdint>
#include <vector>

namespace pxl::bench {

std::vector<const cpu::kernel_table*> levels();

inline constexpr int k_thread_counts[] = {1, 2};

// Uniform values in [-1, 1) from a xorshift state: the benchmarks fill hundreds of MB of weights,
// and <random>'s normal distribution would dominate the run.
inline float next_uniform(uint32_t& state) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return static_cast<float>(state >> 8) * 0x1p-23f - 1.0f;
}

} // namespace pxl::bench
