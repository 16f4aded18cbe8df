// C ABI: reading GGUF files. Handles wrap pxl::gguf_file; every argument is checked here, so the
// file class can assume valid indices and ids.
#include "core/api_guard.h"
#include "core/error.h"
#include "core/log.h"
#include "core/tensor_type.h"
#include "cpu/convert.h"
#include "format/gguf_file.h"
#include "format/gguf_types.h"

#include <cinttypes>
#include <cstring>
#include <memory>

struct pxl_gguf {
    pxl::gguf_file file;
};

namespace {

const pxl::gguf_file& checked_file(const char* function, const pxl_gguf* file) {
    PXL_CHECK_ARG(file != nullptr, "%s: file is NULL", function);
    return file->file;
}

// Caller structs may be newer (larger) than ours, never older: new fields only go at the end.
void check_struct_size(const char* function, const char* argument, uint64_t struct_size, size_t ours,
                       const char* type) {
    PXL_CHECK_ARG(struct_size >= ours, "%s: %s->struct_size is %" PRIu64 ", less than sizeof(%s) (%zu)", function,
                  argument, struct_size, type, ours);
}

void check_index(const char* function, int64_t index, int64_t count, const char* what) {
    PXL_CHECK_ARG(index >= 0 && index < count, "%s: index %" PRId64 " is out of range (the file has %" PRId64 " %s)",
                  function, index, count, what);
}

pxl::gguf_open_options open_options(const char* function, const pxl_gguf_open_params* params) {
    pxl::gguf_open_options options;
    if (params == nullptr) return options;
    check_struct_size(function, "params", params->struct_size, sizeof(pxl_gguf_open_params), "pxl_gguf_open_params");
    PXL_CHECK_ARG(params->use_mmap == 0 || params->use_mmap == 1, "%s: params->use_mmap is %d; it must be 0 or 1",
                  function, params->use_mmap);
    PXL_CHECK_ARG(params->max_metadata_bytes > 0, "%s: params->max_metadata_bytes is 0", function);
    options.use_mmap = params->use_mmap == 1;
    options.max_metadata_bytes = params->max_metadata_bytes;
    return options;
}

// Only the fields of the struct we know are written; a larger caller struct keeps its tail.
void fill_value(const pxl::gguf_file& file, const pxl::gguf_node& node, pxl_gguf_value* out) {
    pxl_gguf_value value{};
    value.struct_size = out->struct_size;
    value.type = node.type;
    value.count = node.count;
    switch (node.type) {
    case PXL_GGUF_TYPE_ARRAY:
        value.element_type = node.element_type;
        value.array_id = file.array_id(node);
        break;
    case PXL_GGUF_TYPE_STRING: value.string_data = file.string(node).data(); break;
    case PXL_GGUF_TYPE_INT8:
    case PXL_GGUF_TYPE_INT16:
    case PXL_GGUF_TYPE_INT32:
    case PXL_GGUF_TYPE_INT64: value.int_value = pxl::gguf_node_int(node); break;
    case PXL_GGUF_TYPE_FLOAT32:
    case PXL_GGUF_TYPE_FLOAT64: value.float_value = pxl::gguf_node_float(node); break;
    default: value.uint_value = pxl::gguf_node_uint(node); break;
    }
    std::memcpy(out, &value, sizeof value);
}

const pxl::gguf_node& checked_array(const char* function, const pxl::gguf_file& file, uint64_t array_id) {
    const pxl::gguf_node* array = file.find_array(array_id);
    PXL_CHECK_ARG(array != nullptr, "%s: array_id %" PRIu64 " is no array of this file", function, array_id);
    return *array;
}

const pxl::gguf_tensor& checked_tensor(const char* function, const pxl::gguf_file& file, int64_t index) {
    check_index(function, index, file.tensor_count(), "tensors");
    return file.tensor(index);
}

} // namespace

extern "C" PXL_API pxl_gguf_open_params pxl_gguf_default_open_params(void) {
    pxl_gguf_open_params params{};
    params.struct_size = sizeof params;
    params.use_mmap = 1;
    params.max_metadata_bytes = pxl::gguf_open_options{}.max_metadata_bytes;
    return params;
}

extern "C" PXL_API pxl_status pxl_gguf_open(const char* path, const pxl_gguf_open_params* params, pxl_gguf** out_file) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_open";
        PXL_CHECK_ARG(out_file != nullptr, "%s: out_file is NULL", function);
        *out_file = nullptr;
        PXL_CHECK_ARG(path != nullptr, "%s: path is NULL", function);
        const pxl::gguf_open_options options = open_options(function, params);
        std::unique_ptr<pxl_gguf> handle;
        try {
            pxl::file_mapping bytes =
                options.use_mmap ? pxl::file_mapping::map_file(path) : pxl::file_mapping::read_file(path);
            handle.reset(new pxl_gguf{pxl::gguf_file(std::move(bytes), options)});
        } catch (const pxl::error& e) {
            if (e.status() != PXL_STATUS_INVALID_FORMAT) throw;
            throw pxl::error(e.status(), pxl::format("%s (file '%s')", e.what(), path)); // parse errors name no path
        }
        pxl::log(PXL_LOG_LEVEL_DEBUG,
                 "gguf: opened '%s' (%s): version %u, %" PRId64 " metadata pairs, %" PRId64 " tensors", path,
                 options.use_mmap ? "mapped" : "read into memory", handle->file.version(),
                 handle->file.metadata_count(), handle->file.tensor_count());
        *out_file = handle.release();
    });
}

extern "C" PXL_API pxl_status pxl_gguf_open_memory(const void* data, uint64_t size, const pxl_gguf_open_params* params,
                                                   pxl_gguf** out_file) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_open_memory";
        PXL_CHECK_ARG(out_file != nullptr, "%s: out_file is NULL", function);
        *out_file = nullptr;
        PXL_CHECK_ARG(data != nullptr || size == 0, "%s: data is NULL", function);
        const pxl::gguf_open_options options = open_options(function, params);
        *out_file = new pxl_gguf{pxl::gguf_file(pxl::file_mapping::copy_memory(data, size), options)};
    });
}

extern "C" PXL_API void pxl_gguf_free(pxl_gguf* file) { delete file; }

extern "C" PXL_API uint32_t pxl_gguf_version(const pxl_gguf* file) {
    return file != nullptr ? file->file.version() : 0;
}

extern "C" PXL_API uint64_t pxl_gguf_alignment(const pxl_gguf* file) {
    return file != nullptr ? file->file.alignment() : 0;
}

extern "C" PXL_API uint64_t pxl_gguf_data_offset(const pxl_gguf* file) {
    return file != nullptr ? file->file.data_offset() : 0;
}

extern "C" PXL_API uint64_t pxl_gguf_file_size(const pxl_gguf* file) {
    return file != nullptr ? file->file.file_size() : 0;
}

extern "C" PXL_API int64_t pxl_gguf_metadata_count(const pxl_gguf* file) {
    return file != nullptr ? file->file.metadata_count() : 0;
}

extern "C" PXL_API pxl_status pxl_gguf_metadata_find(const pxl_gguf* file, const char* key, int64_t* out_index) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_metadata_find";
        const pxl::gguf_file& gguf = checked_file(function, file);
        PXL_CHECK_ARG(key != nullptr, "%s: key is NULL", function);
        PXL_CHECK_ARG(out_index != nullptr, "%s: out_index is NULL", function);
        *out_index = gguf.find_key(key);
        if (*out_index < 0) pxl::fail(PXL_STATUS_NOT_FOUND, "%s: no metadata key '%s'", function, key);
    });
}

extern "C" PXL_API pxl_status pxl_gguf_metadata_key(const pxl_gguf* file, int64_t index, const char** out_key) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_metadata_key";
        const pxl::gguf_file& gguf = checked_file(function, file);
        PXL_CHECK_ARG(out_key != nullptr, "%s: out_key is NULL", function);
        check_index(function, index, gguf.metadata_count(), "metadata pairs");
        *out_key = gguf.key(index).c_str();
    });
}

extern "C" PXL_API pxl_status pxl_gguf_metadata_get(const pxl_gguf* file, int64_t index, pxl_gguf_value* out_value) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_metadata_get";
        const pxl::gguf_file& gguf = checked_file(function, file);
        PXL_CHECK_ARG(out_value != nullptr, "%s: out_value is NULL", function);
        check_struct_size(function, "out_value", out_value->struct_size, sizeof(pxl_gguf_value), "pxl_gguf_value");
        check_index(function, index, gguf.metadata_count(), "metadata pairs");
        fill_value(gguf, gguf.value(index), out_value);
    });
}

extern "C" PXL_API pxl_status pxl_gguf_array_get(const pxl_gguf* file, uint64_t array_id, uint64_t element_index,
                                                 pxl_gguf_value* out_value) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_array_get";
        const pxl::gguf_file& gguf = checked_file(function, file);
        PXL_CHECK_ARG(out_value != nullptr, "%s: out_value is NULL", function);
        check_struct_size(function, "out_value", out_value->struct_size, sizeof(pxl_gguf_value), "pxl_gguf_value");
        const pxl::gguf_node& array = checked_array(function, gguf, array_id);
        PXL_CHECK_ARG(element_index < array.count,
                      "%s: element_index %" PRIu64 " is out of range (the array has %" PRIu64 " elements)", function,
                      element_index, array.count);
        fill_value(gguf, gguf.element(array, element_index), out_value);
    });
}

extern "C" PXL_API pxl_status pxl_gguf_array_copy(const pxl_gguf* file, uint64_t array_id, uint64_t first,
                                                  uint64_t count, void* dst, uint64_t dst_bytes) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_array_copy";
        const pxl::gguf_file& gguf = checked_file(function, file);
        const pxl::gguf_node& array = checked_array(function, gguf, array_id);
        const uint64_t size = pxl::gguf_scalar_size(array.element_type);
        if (size == 0)
            pxl::fail(PXL_STATUS_TYPE_MISMATCH, "%s: the array holds %s elements; read them with pxl_gguf_array_get",
                      function, pxl::gguf_type_name(array.element_type));
        PXL_CHECK_ARG(first <= array.count && count <= array.count - first,
                      "%s: elements [%" PRIu64 ", +%" PRIu64 ") are out of range (the array has %" PRIu64 ")", function,
                      first, count, array.count);
        const uint64_t bytes = count * size; // cannot overflow: the elements lie inside the file
        if (dst_bytes < bytes)
            pxl::fail(PXL_STATUS_BUFFER_TOO_SMALL, "%s: dst_bytes is %" PRIu64 ", %" PRIu64 " elements need %" PRIu64,
                      function, dst_bytes, count, bytes);
        if (count == 0) return;
        PXL_CHECK_ARG(dst != nullptr, "%s: dst is NULL", function);
        const uint8_t* src = gguf.array_data(array) + first * size;
        if (array.element_type == PXL_GGUF_TYPE_BOOL) {
            // The header promises 0 or 1; files may hold any nonzero byte for true.
            uint8_t* flags = static_cast<uint8_t*>(dst);
            for (uint64_t i = 0; i < count; ++i) flags[i] = src[i] != 0 ? 1 : 0;
        } else {
            std::memcpy(dst, src, static_cast<size_t>(bytes));
        }
    });
}

extern "C" PXL_API int64_t pxl_gguf_tensor_count(const pxl_gguf* file) {
    return file != nullptr ? file->file.tensor_count() : 0;
}

extern "C" PXL_API pxl_status pxl_gguf_tensor_find(const pxl_gguf* file, const char* name, int64_t* out_index) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_tensor_find";
        const pxl::gguf_file& gguf = checked_file(function, file);
        PXL_CHECK_ARG(name != nullptr, "%s: name is NULL", function);
        PXL_CHECK_ARG(out_index != nullptr, "%s: out_index is NULL", function);
        *out_index = gguf.find_tensor(name);
        if (*out_index < 0) pxl::fail(PXL_STATUS_NOT_FOUND, "%s: no tensor '%s'", function, name);
    });
}

extern "C" PXL_API pxl_status pxl_gguf_tensor_get_info(const pxl_gguf* file, int64_t index,
                                                       pxl_gguf_tensor_info* out_info) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_tensor_get_info";
        const pxl::gguf_file& gguf = checked_file(function, file);
        PXL_CHECK_ARG(out_info != nullptr, "%s: out_info is NULL", function);
        check_struct_size(function, "out_info", out_info->struct_size, sizeof(pxl_gguf_tensor_info),
                          "pxl_gguf_tensor_info");
        const pxl::gguf_tensor& tensor = checked_tensor(function, gguf, index);
        pxl_gguf_tensor_info info{};
        info.struct_size = out_info->struct_size;
        info.name = tensor.name.c_str();
        info.type = tensor.type;
        info.n_dims = tensor.n_dims;
        info.element_count = tensor.element_count;
        info.byte_size = tensor.byte_size;
        info.file_offset = tensor.file_offset;
        std::memcpy(out_info, &info, sizeof info);
    });
}

extern "C" PXL_API pxl_status pxl_gguf_tensor_get_dims(const pxl_gguf* file, int64_t index, int64_t* dims,
                                                       int32_t capacity) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_tensor_get_dims";
        const pxl::gguf_file& gguf = checked_file(function, file);
        PXL_CHECK_ARG(dims != nullptr, "%s: dims is NULL", function);
        const pxl::gguf_tensor& tensor = checked_tensor(function, gguf, index);
        if (capacity < tensor.n_dims)
            pxl::fail(PXL_STATUS_BUFFER_TOO_SMALL, "%s: capacity is %d, tensor '%s' has %d dimensions", function,
                      capacity, tensor.name.c_str(), tensor.n_dims);
        for (int32_t d = 0; d < tensor.n_dims; ++d) dims[d] = tensor.dims[d];
    });
}

extern "C" PXL_API pxl_status pxl_gguf_tensor_data(const pxl_gguf* file, int64_t index, const void** out_data,
                                                   uint64_t* out_size) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_tensor_data";
        const pxl::gguf_file& gguf = checked_file(function, file);
        PXL_CHECK_ARG(out_data != nullptr, "%s: out_data is NULL", function);
        PXL_CHECK_ARG(out_size != nullptr, "%s: out_size is NULL", function);
        const pxl::gguf_tensor& tensor = checked_tensor(function, gguf, index);
        *out_data = gguf.tensor_data(tensor);
        *out_size = tensor.byte_size;
    });
}

extern "C" PXL_API pxl_status pxl_gguf_tensor_read_f32(const pxl_gguf* file, int64_t index, float* dst,
                                                       uint64_t dst_count) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_tensor_read_f32";
        const pxl::gguf_file& gguf = checked_file(function, file);
        const pxl::gguf_tensor& tensor = checked_tensor(function, gguf, index);
        if (!pxl::cpu::is_convertible(tensor.type))
            pxl::fail(PXL_STATUS_UNSUPPORTED,
                      "%s: tensor %" PRId64 " ('%s') has type %s, which this build cannot convert to f32", function,
                      index, tensor.name.c_str(), pxl::find_tensor_type(tensor.type)->name);
        if (dst_count < tensor.element_count)
            pxl::fail(PXL_STATUS_BUFFER_TOO_SMALL, "%s: dst_count is %" PRIu64 ", tensor '%s' has %" PRIu64 " elements",
                      function, dst_count, tensor.name.c_str(), tensor.element_count);
        PXL_CHECK_ARG(dst != nullptr, "%s: dst is NULL", function);
        pxl::cpu::to_f32(static_cast<pxl_tensor_type>(tensor.type), gguf.tensor_data(tensor), dst,
                         static_cast<int64_t>(tensor.element_count));
    });
}
