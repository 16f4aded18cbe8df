#include "model/gguf_metadata.h"

#include "core/error.h"

namespace pxl {

namespace {

const char* type_name(pxl_gguf_type type) {
    const char* name = pxl_gguf_type_name(type);
    return name != nullptr ? name : "unknown";
}

const gguf_node* find_node(const gguf_file& file, std::string_view key) {
    const int64_t index = file.find_key(key);
    return index < 0 ? nullptr : &file.value(index);
}

[[noreturn]] void fail_missing(std::string_view key) {
    fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%.*s' is missing", static_cast<int>(key.size()), key.data());
}

[[noreturn]] void fail_type(std::string_view key, const char* expected, const gguf_node& node) {
    fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%.*s' should hold %s, but holds %s", static_cast<int>(key.size()),
         key.data(), expected, type_name(node.type));
}

} // namespace

std::optional<uint64_t> find_uint(const gguf_file& file, std::string_view key) {
    const gguf_node* node = find_node(file, key);
    if (node == nullptr) return std::nullopt;
    switch (node->type) {
    case PXL_GGUF_TYPE_UINT8:
    case PXL_GGUF_TYPE_UINT16:
    case PXL_GGUF_TYPE_UINT32:
    case PXL_GGUF_TYPE_UINT64: return gguf_node_uint(*node);
    case PXL_GGUF_TYPE_INT8:
    case PXL_GGUF_TYPE_INT16:
    case PXL_GGUF_TYPE_INT32:
    case PXL_GGUF_TYPE_INT64: {
        const int64_t value = gguf_node_int(*node);
        if (value < 0)
            fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%.*s' is %lld; it must not be negative",
                 static_cast<int>(key.size()), key.data(), static_cast<long long>(value));
        return static_cast<uint64_t>(value);
    }
    default: fail_type(key, "an integer", *node);
    }
}

uint64_t require_uint(const gguf_file& file, std::string_view key) {
    const std::optional<uint64_t> value = find_uint(file, key);
    if (!value) fail_missing(key);
    return *value;
}

std::optional<double> find_float(const gguf_file& file, std::string_view key) {
    const gguf_node* node = find_node(file, key);
    if (node == nullptr) return std::nullopt;
    if (node->type != PXL_GGUF_TYPE_FLOAT32 && node->type != PXL_GGUF_TYPE_FLOAT64) fail_type(key, "a float", *node);
    return gguf_node_float(*node);
}

double require_float(const gguf_file& file, std::string_view key) {
    const std::optional<double> value = find_float(file, key);
    if (!value) fail_missing(key);
    return *value;
}

std::optional<std::string_view> find_string(const gguf_file& file, std::string_view key) {
    const gguf_node* node = find_node(file, key);
    if (node == nullptr) return std::nullopt;
    if (node->type != PXL_GGUF_TYPE_STRING) fail_type(key, "a string", *node);
    return file.string(*node);
}

std::string_view require_string(const gguf_file& file, std::string_view key) {
    const std::optional<std::string_view> value = find_string(file, key);
    if (!value) fail_missing(key);
    return *value;
}

std::optional<uint64_t> find_array_length(const gguf_file& file, std::string_view key) {
    const gguf_node* node = find_node(file, key);
    if (node == nullptr) return std::nullopt;
    if (node->type != PXL_GGUF_TYPE_ARRAY) fail_type(key, "an array", *node);
    return node->count;
}

} // namespace pxl
