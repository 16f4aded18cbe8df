#include "format/gguf_value.h"

#include "core/checked_math.h"
#include "core/error.h"
#include "format/gguf_types.h"

#include <cstring>

namespace pxl {

namespace {

const char* type_label(int32_t type) {
    const char* name = gguf_type_name(type);
    return name != nullptr ? name : "unknown";
}

} // namespace

template <class T>
gguf_value gguf_value::scalar(pxl_gguf_type type, T value) {
    gguf_value result(type, 0);
    result.append(&value, sizeof value);
    return result;
}

gguf_value gguf_value::u8(uint8_t value) { return scalar(PXL_GGUF_TYPE_UINT8, value); }
gguf_value gguf_value::i8(int8_t value) { return scalar(PXL_GGUF_TYPE_INT8, value); }
gguf_value gguf_value::u16(uint16_t value) { return scalar(PXL_GGUF_TYPE_UINT16, value); }
gguf_value gguf_value::i16(int16_t value) { return scalar(PXL_GGUF_TYPE_INT16, value); }
gguf_value gguf_value::u32(uint32_t value) { return scalar(PXL_GGUF_TYPE_UINT32, value); }
gguf_value gguf_value::i32(int32_t value) { return scalar(PXL_GGUF_TYPE_INT32, value); }
gguf_value gguf_value::u64(uint64_t value) { return scalar(PXL_GGUF_TYPE_UINT64, value); }
gguf_value gguf_value::i64(int64_t value) { return scalar(PXL_GGUF_TYPE_INT64, value); }
gguf_value gguf_value::f32(float value) { return scalar(PXL_GGUF_TYPE_FLOAT32, value); }
gguf_value gguf_value::f64(double value) { return scalar(PXL_GGUF_TYPE_FLOAT64, value); }
gguf_value gguf_value::boolean(bool value) { return scalar(PXL_GGUF_TYPE_BOOL, static_cast<uint8_t>(value ? 1 : 0)); }

gguf_value gguf_value::string(std::string_view text) {
    gguf_value result(PXL_GGUF_TYPE_STRING, 0);
    const uint64_t length = text.size();
    result.bytes_.reserve(sizeof length + text.size());
    result.append(&length, sizeof length);
    result.append(text.data(), text.size());
    return result;
}

gguf_value gguf_value::numeric_array(int32_t element_type, const void* elements, uint64_t count) {
    const uint64_t size = gguf_scalar_size(element_type);
    if (size == 0)
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: element type %d (%s) is not a numeric or bool type",
             element_type, type_label(element_type));
    uint64_t bytes = 0;
    if (!checked_mul(count, size, &bytes))
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: %llu array elements overflow a 64-bit size",
             static_cast<unsigned long long>(count));
    if (element_type == PXL_GGUF_TYPE_BOOL) {
        const uint8_t* flags = static_cast<const uint8_t*>(elements);
        for (uint64_t i = 0; i < count; ++i)
            if (flags[i] > 1)
                fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: bool element %llu is %u; bools are 0 or 1",
                     static_cast<unsigned long long>(i), flags[i]);
    }
    gguf_value result(PXL_GGUF_TYPE_ARRAY, 1);
    result.bytes_.reserve(4 + 8 + bytes);
    result.append_array_header(static_cast<pxl_gguf_type>(element_type), count);
    result.append(elements, bytes);
    return result;
}

gguf_value gguf_value::string_array(const char* const* strings, const uint64_t* lengths, uint64_t count) {
    uint64_t total = 4 + 8;
    for (uint64_t i = 0; i < count; ++i) {
        if (strings[i] == nullptr && lengths[i] > 0)
            fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: string %llu is NULL but its length is %llu",
                 static_cast<unsigned long long>(i), static_cast<unsigned long long>(lengths[i]));
        if (!checked_add(total, 8, &total) || !checked_add(total, lengths[i], &total))
            fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: the string array's size overflows 64 bits");
    }
    gguf_value result(PXL_GGUF_TYPE_ARRAY, 1);
    result.bytes_.reserve(total);
    result.append_array_header(PXL_GGUF_TYPE_STRING, count);
    for (uint64_t i = 0; i < count; ++i) {
        result.append(&lengths[i], sizeof lengths[i]);
        result.append(strings[i], lengths[i]);
    }
    return result;
}

gguf_value gguf_value::array(pxl_gguf_type element_type, const std::vector<gguf_value>& elements) {
    if (gguf_type_name(element_type) == nullptr)
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: unknown array element type %d", static_cast<int>(element_type));
    uint32_t depth = 1;
    uint64_t total = 4 + 8;
    for (size_t i = 0; i < elements.size(); ++i) {
        const gguf_value& element = elements[i];
        if (element.type_ != element_type)
            fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: element %zu of an array of %s is a %s", i,
                 type_label(element_type), type_label(element.type_));
        if (element.array_depth_ + 1 > depth) depth = element.array_depth_ + 1;
        total += element.bytes_.size();
    }
    // The reader refuses deeper nesting, so the writer must never produce it.
    if (depth > k_gguf_max_array_depth)
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: arrays nest %u levels deep; at most %u are allowed", depth,
             k_gguf_max_array_depth);
    gguf_value result(PXL_GGUF_TYPE_ARRAY, depth);
    result.bytes_.reserve(total);
    result.append_array_header(element_type, elements.size());
    for (const gguf_value& element : elements) result.append(element.bytes_.data(), element.bytes_.size());
    return result;
}

// resize + memcpy rather than insert(): GCC 12 at -O2 warns falsely (-Wstringop-overflow) on
// range inserts into an empty std::vector<uint8_t>.
void gguf_value::append(const void* data, uint64_t size) {
    if (size == 0) return; // data may be null for empty strings and arrays
    const size_t used = bytes_.size();
    bytes_.resize(used + static_cast<size_t>(size));
    std::memcpy(bytes_.data() + used, data, static_cast<size_t>(size));
}

void gguf_value::append_array_header(pxl_gguf_type element_type, uint64_t count) {
    const uint32_t type = static_cast<uint32_t>(element_type);
    append(&type, sizeof type);
    append(&count, sizeof count);
}

} // namespace pxl
