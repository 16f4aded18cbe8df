#include "core/tensor_type.h"

#include "core/checked_math.h"

namespace pxl {

namespace {

struct type_entry {
    int32_t id;
    tensor_type_traits traits;
};

// Block layouts as GGUF defines them (values per block, bytes per block).
constexpr type_entry k_types[] = {
    {PXL_TENSOR_TYPE_F32, {"f32", 1, 4}},
    {PXL_TENSOR_TYPE_F16, {"f16", 1, 2}},
    {PXL_TENSOR_TYPE_Q4_0, {"q4_0", 32, 18}},
    {PXL_TENSOR_TYPE_Q4_1, {"q4_1", 32, 20}},
    {PXL_TENSOR_TYPE_Q5_0, {"q5_0", 32, 22}},
    {PXL_TENSOR_TYPE_Q5_1, {"q5_1", 32, 24}},
    {PXL_TENSOR_TYPE_Q8_0, {"q8_0", 32, 34}},
    {PXL_TENSOR_TYPE_Q8_1, {"q8_1", 32, 36}},
    {PXL_TENSOR_TYPE_Q2_K, {"q2_K", 256, 84}},
    {PXL_TENSOR_TYPE_Q3_K, {"q3_K", 256, 110}},
    {PXL_TENSOR_TYPE_Q4_K, {"q4_K", 256, 144}},
    {PXL_TENSOR_TYPE_Q5_K, {"q5_K", 256, 176}},
    {PXL_TENSOR_TYPE_Q6_K, {"q6_K", 256, 210}},
    {PXL_TENSOR_TYPE_Q8_K, {"q8_K", 256, 292}},
    {PXL_TENSOR_TYPE_IQ2_XXS, {"iq2_xxs", 256, 66}},
    {PXL_TENSOR_TYPE_IQ2_XS, {"iq2_xs", 256, 74}},
    {PXL_TENSOR_TYPE_IQ3_XXS, {"iq3_xxs", 256, 98}},
    {PXL_TENSOR_TYPE_IQ1_S, {"iq1_s", 256, 50}},
    {PXL_TENSOR_TYPE_IQ4_NL, {"iq4_nl", 32, 18}},
    {PXL_TENSOR_TYPE_IQ3_S, {"iq3_s", 256, 110}},
    {PXL_TENSOR_TYPE_IQ2_S, {"iq2_s", 256, 82}},
    {PXL_TENSOR_TYPE_IQ4_XS, {"iq4_xs", 256, 136}},
    {PXL_TENSOR_TYPE_I8, {"i8", 1, 1}},
    {PXL_TENSOR_TYPE_I16, {"i16", 1, 2}},
    {PXL_TENSOR_TYPE_I32, {"i32", 1, 4}},
    {PXL_TENSOR_TYPE_I64, {"i64", 1, 8}},
    {PXL_TENSOR_TYPE_F64, {"f64", 1, 8}},
    {PXL_TENSOR_TYPE_IQ1_M, {"iq1_m", 256, 56}},
    {PXL_TENSOR_TYPE_BF16, {"bf16", 1, 2}},
    {PXL_TENSOR_TYPE_TQ1_0, {"tq1_0", 256, 54}},
    {PXL_TENSOR_TYPE_TQ2_0, {"tq2_0", 256, 66}},
    {PXL_TENSOR_TYPE_MXFP4, {"mxfp4", 32, 17}},
};

} // namespace

const tensor_type_traits* find_tensor_type(int32_t type) {
    for (const auto& entry : k_types)
        if (entry.id == type) return &entry.traits;
    return nullptr;
}

bool tensor_bytes(const tensor_type_traits& traits, uint64_t elements, uint64_t* out_bytes) {
    const uint64_t blocks = elements / static_cast<uint64_t>(traits.block_elements);
    return checked_mul(blocks, static_cast<uint64_t>(traits.block_bytes), out_bytes);
}

} // namespace pxl
