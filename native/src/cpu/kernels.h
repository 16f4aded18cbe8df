// The CPU kernel table: one set of function pointers per instruction-set level, each set built in
// its own translation unit (scalar/, avx2/, avx512/) with that level's compiler flags. Callers
// fetch the table once and call through it; nothing else in the library may contain SIMD code.
//
// Adding a kernel family (GEMM, attention, norms, ...): declare a struct of row/tile functions
// here, give kernel_table a pointer to it, define one instance per level next to the existing
// convert tables, and extend the parity test that runs every level against scalar.
#pragma once

#include "pixellm.h"

#include <cstdint>

namespace pxl::cpu {

// Row conversions between f32 and the stored types. `n` is the number of values; for the
// quantized types it is a multiple of the block size (32). Results are bit-identical at every
// level (see half_float.h and scalar/convert_scalar.cpp for the reference rules).
struct convert_kernels {
    void (*f16_to_f32)(const void* src, float* dst, int64_t n);
    void (*bf16_to_f32)(const void* src, float* dst, int64_t n);
    void (*q8_0_to_f32)(const void* src, float* dst, int64_t n);
    void (*q4_0_to_f32)(const void* src, float* dst, int64_t n);
    void (*f32_to_f16)(const float* src, void* dst, int64_t n);
    void (*f32_to_bf16)(const float* src, void* dst, int64_t n);
    void (*f32_to_q8_0)(const float* src, void* dst, int64_t n);
    void (*f32_to_q4_0)(const float* src, void* dst, int64_t n);
};

struct kernel_table {
    pxl_cpu_isa isa;
    const convert_kernels* convert;
};

// The table of one level, or nullptr when this CPU (or this build) cannot run it. Lets tests run
// every supported level side by side in one process.
const kernel_table* kernels_for(pxl_cpu_isa isa);

// The table of active_isa() (cpu_features.h).
const kernel_table& active_kernels();

// One instance per level, each defined in that level's translation unit.
extern const convert_kernels scalar_convert_kernels;
extern const convert_kernels avx2_convert_kernels;
extern const convert_kernels avx512_convert_kernels;

} // namespace pxl::cpu
