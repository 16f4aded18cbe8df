// One metadata value as the GGUF writer stores it: its type and its wire bytes (without the type tag
// that precedes a top-level value, which is exactly how an array element is stored). Encoding up
// front keeps the writer at one buffer per key, however large the value: a 32000-token vocabulary
// is a single allocation, and nested arrays need no tree.
#pragma once

#include "pixellm.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace pxl {

class gguf_value {
public:
    static gguf_value u8(uint8_t value);
    static gguf_value i8(int8_t value);
    static gguf_value u16(uint16_t value);
    static gguf_value i16(int16_t value);
    static gguf_value u32(uint32_t value);
    static gguf_value i32(int32_t value);
    static gguf_value u64(uint64_t value);
    static gguf_value i64(int64_t value);
    static gguf_value f32(float value);
    static gguf_value f64(double value);
    static gguf_value boolean(bool value);
    static gguf_value string(std::string_view text);

    // `count` packed values of a numeric or BOOL type (BOOL: one byte each, 0 or 1). The type is an
    // int because it arrives unchecked from the C ABI.
    static gguf_value numeric_array(int32_t element_type, const void* elements, uint64_t count);
    // String i is lengths[i] bytes at strings[i].
    static gguf_value string_array(const char* const* strings, const uint64_t* lengths, uint64_t count);
    // Any element type, arrays included; every element must have type `element_type`.
    static gguf_value array(pxl_gguf_type element_type, const std::vector<gguf_value>& elements);

    pxl_gguf_type type() const { return type_; }
    // How many arrays deep the value goes: 0 for a scalar or string, 1 for a flat array.
    uint32_t array_depth() const { return array_depth_; }
    const std::vector<uint8_t>& bytes() const { return bytes_; }

private:
    gguf_value(pxl_gguf_type type, uint32_t array_depth) : type_(type), array_depth_(array_depth) {}
    template <class T>
    static gguf_value scalar(pxl_gguf_type type, T value);
    void append(const void* data, uint64_t size);
    void append_array_header(pxl_gguf_type element_type, uint64_t count);

    pxl_gguf_type type_;
    uint32_t array_depth_;
    std::vector<uint8_t> bytes_;
};

} // namespace pxl
