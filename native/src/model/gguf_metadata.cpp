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

int64_t checked_width(std::string_view key, uint64_t value) {
    constexpr uint64_t k_max = uint64_t{1} << 24;
    if (value == 0 || value > k_max)
        fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%.*s' is %llu; it must be in 1..%llu", static_cast<int>(key.size()),
             key.data(), static_cast<unsigned long long>(value), static_cast<unsigned long long>(k_max));
    return static_cast<int64_t>(value);
}

int64_t require_width(const gguf_file& file, std::string_view key) { return checked_width(key, require_uint(file, key)); }

std::optional<int64_t> find_int(const gguf_file& file, std::string_view key) {
    const gguf_node* node = find_node(file, key);
    if (node == nullptr) return std::nullopt;
    switch (node->type) {
    case PXL_GGUF_TYPE_UINT8:
    case PXL_GGUF_TYPE_UINT16:
    case PXL_GGUF_TYPE_UINT32: return static_cast<int64_t>(gguf_node_uint(*node));
    case PXL_GGUF_TYPE_UINT64: {
        const uint64_t value = gguf_node_uint(*node);
        if (value > static_cast<uint64_t>(INT64_MAX))
            fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%.*s' is %llu; too large", static_cast<int>(key.size()),
                 key.data(), static_cast<unsigned long long>(value));
        return static_cast<int64_t>(value);
    }
    case PXL_GGUF_TYPE_INT8:
    case PXL_GGUF_TYPE_INT16:
    case PXL_GGUF_TYPE_INT32:
    case PXL_GGUF_TYPE_INT64: return gguf_node_int(*node);
    default: fail_type(key, "an integer", *node);
    }
}

int64_t require_int(const gguf_file& file, std::string_view key) {
    const std::optional<int64_t> value = find_int(file, key);
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

namespace {

const gguf_node& require_array(const gguf_file& file, std::string_view key, uint64_t max_count) {
    const gguf_node* node = find_node(file, key);
    if (node == nullptr) fail_missing(key);
    if (node->type != PXL_GGUF_TYPE_ARRAY) fail_type(key, "an array", *node);
    if (node->count > max_count)
        fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%.*s' holds %llu elements; at most %llu are allowed",
             static_cast<int>(key.size()), key.data(), static_cast<unsigned long long>(node->count),
             static_cast<unsigned long long>(max_count));
    return *node;
}

} // namespace

std::vector<uint64_t> require_uint_array(const gguf_file& file, std::string_view key, uint64_t max_count) {
    const gguf_node& array = require_array(file, key, max_count);
    std::vector<uint64_t> values;
    values.reserve(array.count);
    for (uint64_t i = 0; i < array.count; ++i) {
        const gguf_node element = file.element(array, i);
        switch (element.type) {
        case PXL_GGUF_TYPE_UINT8:
        case PXL_GGUF_TYPE_UINT16:
        case PXL_GGUF_TYPE_UINT32:
        case PXL_GGUF_TYPE_UINT64: values.push_back(gguf_node_uint(element)); break;
        case PXL_GGUF_TYPE_INT8:
        case PXL_GGUF_TYPE_INT16:
        case PXL_GGUF_TYPE_INT32:
        case PXL_GGUF_TYPE_INT64: {
            const int64_t value = gguf_node_int(element);
            if (value < 0)
                fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%.*s' element %llu is %lld; it must not be negative",
                     static_cast<int>(key.size()), key.data(), static_cast<unsigned long long>(i),
                     static_cast<long long>(value));
            values.push_back(static_cast<uint64_t>(value));
            break;
        }
        default: fail_type(key, "an array of integers", element);
        }
    }
    return values;
}

std::vector<double> require_float_array(const gguf_file& file, std::string_view key, uint64_t max_count) {
    const gguf_node& array = require_array(file, key, max_count);
    std::vector<double> values;
    values.reserve(array.count);
    for (uint64_t i = 0; i < array.count; ++i) {
        const gguf_node element = file.element(array, i);
        if (element.type != PXL_GGUF_TYPE_FLOAT32 && element.type != PXL_GGUF_TYPE_FLOAT64)
            fail_type(key, "an array of floats", element);
        values.push_back(gguf_node_float(element));
    }
    return values;
}

} // namespace pxl
