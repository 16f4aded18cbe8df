#include "model/weight_binding.h"

#include "core/error.h"
#include "core/tensor_type.h"
#include "cpu/convert.h"

#include <string>

namespace pxl {

namespace {

std::string shape_text(const int64_t* dims, size_t n) {
    std::string text = "[";
    for (size_t i = 0; i < n; ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
    return text + "]";
}

bool type_allowed(int32_t type, weight_types types) {
    if (types == weight_types::norm) return type == PXL_TENSOR_TYPE_F32;
    if (types == weight_types::float_matrix)
        return type == PXL_TENSOR_TYPE_F32 || type == PXL_TENSOR_TYPE_F16 || type == PXL_TENSOR_TYPE_BF16;
    return cpu::is_convertible(type);
}

const char* allowed_text(weight_types types) {
    switch (types) {
    case weight_types::norm: return "f32";
    case weight_types::float_matrix: return "f32, f16 or bf16";
    default: return "f32, f16, bf16, q8_0 or q4_0";
    }
}

weight_tensor check(const gguf_file& file, const gguf_tensor& tensor, std::initializer_list<int64_t> shape,
                    weight_types types) {
    const int64_t* expected = shape.begin();
    bool same = static_cast<size_t>(tensor.n_dims) == shape.size();
    for (size_t i = 0; same && i < shape.size(); ++i) same = tensor.dims[i] == expected[i];
    if (!same)
        fail(PXL_STATUS_INVALID_FORMAT, "tensor '%s' has shape %s; the model's hyper-parameters need %s",
             tensor.name.c_str(), shape_text(tensor.dims, static_cast<size_t>(tensor.n_dims)).c_str(),
             shape_text(expected, shape.size()).c_str());
    if (!type_allowed(tensor.type, types)) {
        const tensor_type_traits* traits = find_tensor_type(tensor.type);
        fail(PXL_STATUS_UNSUPPORTED, "tensor '%s' has type %s; this weight must be %s", tensor.name.c_str(),
             traits != nullptr ? traits->name : "unknown", allowed_text(types));
    }
    weight_tensor view;
    view.name = tensor.name.c_str();
    view.type = tensor.type;
    view.n_dims = tensor.n_dims;
    for (int i = 0; i < PXL_MAX_DIMS; ++i) view.dims[i] = tensor.dims[i];
    view.data = file.tensor_data(tensor);
    view.byte_size = tensor.byte_size;
    return view;
}

} // namespace

std::optional<weight_tensor> bind_optional_weight(const gguf_file& file, std::string_view name,
                                                  std::initializer_list<int64_t> shape, weight_types types) {
    const int64_t index = file.find_tensor(name);
    if (index < 0) return std::nullopt;
    return check(file, file.tensor(index), shape, types);
}

weight_tensor bind_weight(const gguf_file& file, std::string_view name, std::initializer_list<int64_t> shape,
                          weight_types types) {
    std::optional<weight_tensor> weight = bind_optional_weight(file, name, shape, types);
    if (!weight)
        fail(PXL_STATUS_INVALID_FORMAT, "tensor '%.*s' is missing", static_cast<int>(name.size()), name.data());
    return *weight;
}

} // namespace pxl
