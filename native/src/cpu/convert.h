// Conversion of tensor data between f32 and the stored element types (dequantize / quantize).
// Dispatches to the kernels of the active ISA (see cpu_features.h).
#pragma once

#include "pixellm.h"

#include <cstdint>

namespace pxl::cpu {

// True for the types these functions handle: F32, F16, BF16, Q8_0, Q4_0.
bool is_convertible(int32_t type);

// `count` values of `type` at `src` -> f32 at `dst`. `count` is a multiple of the type's block size.
// The caller has checked sizes; the functions do no I/O and throw nothing for valid arguments.
void to_f32(pxl_tensor_type type, const void* src, float* dst, int64_t count);

// `count` f32 values -> `type` at `dst`, rounding as GGUF's reference quantizers do.
void from_f32(pxl_tensor_type type, const float* src, void* dst, int64_t count);

} // namespace pxl::cpu
