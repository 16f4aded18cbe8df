// C ABI: writing GGUF files. Handles wrap pxl::gguf_writer, which owns the order of calls and the
// temporary file; this layer checks pointers and turns C arguments into values.
#include "core/api_guard.h"
#include "core/error.h"
#include "capi/enum_arg.h"
#include "format/gguf_value.h"
#include "format/gguf_writer.h"

#include <cinttypes>

struct pxl_gguf_writer {
    pxl::gguf_writer writer;
};

namespace {

pxl::gguf_writer& checked_writer(const char* function, pxl_gguf_writer* writer) {
    PXL_CHECK_ARG(writer != nullptr, "%s: writer is NULL", function);
    return writer->writer;
}

// The common shape of the setters: check the handle and key, then store the value `make` builds.
template <class Make>
pxl_status set_value(const char* function, pxl_gguf_writer* writer, const char* key, Make&& make) {
    return pxl::api_guard(function, [&] {
        pxl::gguf_writer& out = checked_writer(function, writer);
        PXL_CHECK_ARG(key != nullptr, "%s: key is NULL", function);
        out.set(key, make());
    });
}

} // namespace

extern "C" PXL_API pxl_status pxl_gguf_writer_create(pxl_gguf_writer** out_writer) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_writer != nullptr, "pxl_gguf_writer_create: out_writer is NULL");
        *out_writer = new pxl_gguf_writer{};
    });
}

extern "C" PXL_API void pxl_gguf_writer_free(pxl_gguf_writer* writer) { delete writer; }

extern "C" PXL_API pxl_status pxl_gguf_writer_set_u8(pxl_gguf_writer* writer, const char* key, uint8_t value) {
    return set_value("pxl_gguf_writer_set_u8", writer, key, [&] { return pxl::gguf_value::u8(value); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_i8(pxl_gguf_writer* writer, const char* key, int8_t value) {
    return set_value("pxl_gguf_writer_set_i8", writer, key, [&] { return pxl::gguf_value::i8(value); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_u16(pxl_gguf_writer* writer, const char* key, uint16_t value) {
    return set_value("pxl_gguf_writer_set_u16", writer, key, [&] { return pxl::gguf_value::u16(value); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_i16(pxl_gguf_writer* writer, const char* key, int16_t value) {
    return set_value("pxl_gguf_writer_set_i16", writer, key, [&] { return pxl::gguf_value::i16(value); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_u32(pxl_gguf_writer* writer, const char* key, uint32_t value) {
    return set_value("pxl_gguf_writer_set_u32", writer, key, [&] { return pxl::gguf_value::u32(value); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_i32(pxl_gguf_writer* writer, const char* key, int32_t value) {
    return set_value("pxl_gguf_writer_set_i32", writer, key, [&] { return pxl::gguf_value::i32(value); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_u64(pxl_gguf_writer* writer, const char* key, uint64_t value) {
    return set_value("pxl_gguf_writer_set_u64", writer, key, [&] { return pxl::gguf_value::u64(value); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_i64(pxl_gguf_writer* writer, const char* key, int64_t value) {
    return set_value("pxl_gguf_writer_set_i64", writer, key, [&] { return pxl::gguf_value::i64(value); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_f32(pxl_gguf_writer* writer, const char* key, float value) {
    return set_value("pxl_gguf_writer_set_f32", writer, key, [&] { return pxl::gguf_value::f32(value); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_f64(pxl_gguf_writer* writer, const char* key, double value) {
    return set_value("pxl_gguf_writer_set_f64", writer, key, [&] { return pxl::gguf_value::f64(value); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_bool(pxl_gguf_writer* writer, const char* key, int32_t value) {
    return set_value("pxl_gguf_writer_set_bool", writer, key, [&] {
        PXL_CHECK_ARG(value == 0 || value == 1, "pxl_gguf_writer_set_bool: value is %d; it must be 0 or 1", value);
        return pxl::gguf_value::boolean(value == 1);
    });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_string(pxl_gguf_writer* writer, const char* key, const char* value,
                                                         uint64_t length) {
    return set_value("pxl_gguf_writer_set_string", writer, key, [&] {
        PXL_CHECK_ARG(value != nullptr || length == 0, "pxl_gguf_writer_set_string: value is NULL");
        return pxl::gguf_value::string(std::string_view(value, static_cast<size_t>(length)));
    });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_array(pxl_gguf_writer* writer, const char* key,
                                                        pxl_gguf_type element_type, const void* elements,
                                                        uint64_t count) {
    return set_value("pxl_gguf_writer_set_array", writer, key, [&] {
        PXL_CHECK_ARG(elements != nullptr || count == 0, "pxl_gguf_writer_set_array: elements is NULL");
        return pxl::gguf_value::numeric_array(pxl::enum_arg(element_type), elements, count);
    });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_set_string_array(pxl_gguf_writer* writer, const char* key,
                                                               const char* const* strings, const uint64_t* lengths,
                                                               uint64_t count) {
    return set_value("pxl_gguf_writer_set_string_array", writer, key, [&] {
        PXL_CHECK_ARG(strings != nullptr || count == 0, "pxl_gguf_writer_set_string_array: strings is NULL");
        PXL_CHECK_ARG(lengths != nullptr || count == 0, "pxl_gguf_writer_set_string_array: lengths is NULL");
        return pxl::gguf_value::string_array(strings, lengths, count);
    });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_add_tensor(pxl_gguf_writer* writer, const char* name,
                                                         pxl_tensor_type type, const int64_t* dims, int32_t n_dims) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_writer_add_tensor";
        pxl::gguf_writer& out = checked_writer(function, writer);
        PXL_CHECK_ARG(name != nullptr, "%s: name is NULL", function);
        PXL_CHECK_ARG(dims != nullptr, "%s: dims is NULL", function);
        out.add_tensor(name, pxl::enum_arg(type), dims, n_dims);
    });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_begin(pxl_gguf_writer* writer, const char* path) {
    return PXL_API_GUARD({
        const char* const function = "pxl_gguf_writer_begin";
        pxl::gguf_writer& out = checked_writer(function, writer);
        PXL_CHECK_ARG(path != nullptr, "%s: path is NULL", function);
        out.begin(path);
    });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_write_tensor(pxl_gguf_writer* writer, const void* data, uint64_t size) {
    return PXL_API_GUARD({ checked_writer("pxl_gguf_writer_write_tensor", writer).write_tensor(data, size); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_write_tensor_f32(pxl_gguf_writer* writer, const float* values,
                                                               uint64_t count) {
    return PXL_API_GUARD(
        { checked_writer("pxl_gguf_writer_write_tensor_f32", writer).write_tensor_f32(values, count); });
}

extern "C" PXL_API pxl_status pxl_gguf_writer_finish(pxl_gguf_writer* writer) {
    return PXL_API_GUARD({ checked_writer("pxl_gguf_writer_finish", writer).finish(); });
}
