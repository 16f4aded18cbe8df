// C ABI: tensor element types and their conversion to and from f32.
#include "capi/enum_arg.h"
#include "core/api_guard.h"
#include "core/error.h"
#include "core/tensor_type.h"
#include "cpu/convert.h"

#include <cinttypes>
#include <cstdint>

namespace {

// The traits of a type this build converts; UNSUPPORTED naming the type otherwise.
const pxl::tensor_type_traits& convertible_type(const char* function, int32_t type) {
    const pxl::tensor_type_traits* traits = pxl::find_tensor_type(type);
    if (traits == nullptr) pxl::fail(PXL_STATUS_UNSUPPORTED, "%s: type %d is not a known tensor type", function, type);
    if (!pxl::cpu::is_convertible(type))
        pxl::fail(PXL_STATUS_UNSUPPORTED, "%s: type %s (%d) cannot be converted to or from f32", function, traits->name, type);
    return *traits;
}

// Bytes `count` values of `traits` occupy, after checking that `count` is whole blocks and that
// both representations fit in memory sizes.
uint64_t encoded_bytes(const char* function, const pxl::tensor_type_traits& traits, uint64_t count) {
    const auto block = static_cast<uint64_t>(traits.block_elements);
    PXL_CHECK_ARG(count % block == 0, "%s: count %" PRIu64 " is not a multiple of the %s block size %" PRIu64, function,
                  count, traits.name, block);
    uint64_t bytes = 0;
    PXL_CHECK_ARG(count <= static_cast<uint64_t>(INT64_MAX) / sizeof(float) && pxl::tensor_bytes(traits, count, &bytes),
                  "%s: count %" PRIu64 " is too large", function, count);
    return bytes;
}

} // namespace

extern "C" PXL_API const char* pxl_tensor_type_name(int32_t type) {
    const char* name = nullptr;
    PXL_API_GUARD({
        const pxl::tensor_type_traits* traits = pxl::find_tensor_type(type);
        name = traits != nullptr ? traits->name : nullptr;
    });
    return name;
}

extern "C" PXL_API pxl_status pxl_tensor_type_layout(int32_t type, int64_t* out_block_elements, int64_t* out_block_bytes) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_block_elements != nullptr, "pxl_tensor_type_layout: out_block_elements is NULL");
        PXL_CHECK_ARG(out_block_bytes != nullptr, "pxl_tensor_type_layout: out_block_bytes is NULL");
        const pxl::tensor_type_traits* traits = pxl::find_tensor_type(type);
        if (traits == nullptr) pxl::fail(PXL_STATUS_UNSUPPORTED, "pxl_tensor_type_layout: type %d is not a known tensor type", type);
        *out_block_elements = traits->block_elements;
        *out_block_bytes = traits->block_bytes;
    });
}

extern "C" PXL_API int32_t pxl_tensor_type_is_convertible(int32_t type) {
    int32_t convertible = 0;
    PXL_API_GUARD({ convertible = pxl::cpu::is_convertible(type) ? 1 : 0; });
    return convertible;
}

// Inside PXL_API_GUARD's lambda __func__ would read "operator()", hence the spelled-out names.
// NULL buffers are accepted for count 0: an empty span pinned by a managed caller is NULL.
extern "C" PXL_API pxl_status pxl_tensor_quantize(pxl_tensor_type type, const float* src, uint64_t count, void* dst,
                                                  uint64_t dst_bytes) {
    return PXL_API_GUARD({
        const char* const function = "pxl_tensor_quantize";
        const pxl::tensor_type_traits& traits = convertible_type(function, pxl::enum_arg(type));
        const uint64_t needed = encoded_bytes(function, traits, count);
        if (count == 0) return;
        PXL_CHECK_ARG(src != nullptr, "%s: src is NULL", function);
        PXL_CHECK_ARG(dst != nullptr, "%s: dst is NULL", function);
        if (dst_bytes < needed)
            pxl::fail(PXL_STATUS_BUFFER_TOO_SMALL, "%s: dst_bytes is %" PRIu64 ", %" PRIu64 " values of %s need %" PRIu64,
                      function, dst_bytes, count, traits.name, needed);
        pxl::cpu::from_f32(type, src, dst, static_cast<int64_t>(count));
    });
}

extern "C" PXL_API pxl_status pxl_tensor_dequantize(pxl_tensor_type type, const void* src, uint64_t src_bytes,
                                                    float* dst, uint64_t count) {
    return PXL_API_GUARD({
        const char* const function = "pxl_tensor_dequantize";
        const pxl::tensor_type_traits& traits = convertible_type(function, pxl::enum_arg(type));
        const uint64_t needed = encoded_bytes(function, traits, count);
        if (count == 0) return;
        PXL_CHECK_ARG(src != nullptr, "%s: src is NULL", function);
        PXL_CHECK_ARG(dst != nullptr, "%s: dst is NULL", function);
        PXL_CHECK_ARG(src_bytes >= needed, "%s: src_bytes is %" PRIu64 ", %" PRIu64 " values of %s need %" PRIu64,
                      function, src_bytes, count, traits.name, needed);
        pxl::cpu::to_f32(type, src, dst, static_cast<int64_t>(count));
    });
}
