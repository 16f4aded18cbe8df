// Finding a model's weights in a GGUF file and checking each against the shape and the element
// types the model code expects; every mismatch is an INVALID_FORMAT error naming the tensor.
#pragma once

#include "format/gguf_file.h"
#include "model/weight_tensor.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace pxl {

// Which element types a weight may have.
enum class weight_types {
    norm,   // F32 only: vectors the kernels read directly
    matrix, // F32, F16, BF16, Q8_0, Q4_0
    float_matrix, // F32, F16, BF16: operands of the compute-bound GEMM (cpu/gemm.h)
};

// `shape` is innermost first, as GGUF stores it.
weight_tensor bind_weight(const gguf_file& file, std::string_view name, std::initializer_list<int64_t> shape,
                          weight_types types);
// The same, or nullopt when the file has no tensor of that name.
std::optional<weight_tensor> bind_optional_weight(const gguf_file& file, std::string_view name,
                                                  std::initializer_list<int64_t> shape, weight_types types);

} // namespace pxl
