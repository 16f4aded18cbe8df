// Helpers for tests that reach the library only through pixellm.h, as a host does.
#pragma once

#include "format/gguf_bytes.h"
#include "pixellm.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

// c_host_calls.c: calls passing ints outside an enum's enumerators, as C hosts may.
extern "C" {
const char* c_host_status_name(int32_t status);
pxl_status c_host_set_array(pxl_gguf_writer* writer, int32_t element_type);
pxl_status c_host_add_tensor(pxl_gguf_writer* writer, int32_t type);
void c_host_log_set_callback(int32_t min_level);
}

namespace pxl_test {

#define ASSERT_PXL_OK(call) ASSERT_EQ((call), PXL_STATUS_OK) << pxl_last_error()
#define EXPECT_PXL_OK(call) EXPECT_EQ((call), PXL_STATUS_OK) << pxl_last_error()

// Checks a call's status and that pxl_last_error() holds every listed part (argument name, path, ...).
#define EXPECT_PXL_ERROR(call, expected_status, ...) \
    do { \
        const pxl_status status_ = (call); \
        const std::string message_ = pxl_last_error(); \
        EXPECT_EQ(status_, expected_status) << #call << ": " << message_; \
        for (const std::string& part_ : std::vector<std::string>{__VA_ARGS__}) \
            EXPECT_TRUE(::pxl_test::contains(message_, part_)) \
                << #call << "\nmessage: " << message_ << "\nmissing: " << part_; \
    } while (0)

struct gguf_deleter {
    void operator()(pxl_gguf* file) const { pxl_gguf_free(file); }
};
using gguf_ptr = std::unique_ptr<pxl_gguf, gguf_deleter>;

struct writer_deleter {
    void operator()(pxl_gguf_writer* writer) const { pxl_gguf_writer_free(writer); }
};
using writer_ptr = std::unique_ptr<pxl_gguf_writer, writer_deleter>;

inline writer_ptr make_writer() {
    pxl_gguf_writer* writer = nullptr;
    EXPECT_EQ(pxl_gguf_writer_create(&writer), PXL_STATUS_OK) << pxl_last_error();
    return writer_ptr(writer);
}

inline gguf_ptr open_file(const std::string& path, const pxl_gguf_open_params* params = nullptr) {
    pxl_gguf* file = nullptr;
    EXPECT_EQ(pxl_gguf_open(path.c_str(), params, &file), PXL_STATUS_OK) << pxl_last_error();
    return gguf_ptr(file);
}

inline gguf_ptr open_memory(const gguf_bytes& bytes) {
    pxl_gguf* file = nullptr;
    EXPECT_EQ(pxl_gguf_open_memory(bytes.data(), bytes.size(), nullptr, &file), PXL_STATUS_OK) << pxl_last_error();
    return gguf_ptr(file);
}

inline pxl_gguf_value empty_value() {
    pxl_gguf_value value{};
    value.struct_size = sizeof value;
    return value;
}

// The value of `key`, or a test failure.
inline pxl_gguf_value metadata(const pxl_gguf* file, const char* key) {
    pxl_gguf_value value = empty_value();
    int64_t index = -1;
    EXPECT_EQ(pxl_gguf_metadata_find(file, key, &index), PXL_STATUS_OK) << key << ": " << pxl_last_error();
    if (index >= 0) EXPECT_EQ(pxl_gguf_metadata_get(file, index, &value), PXL_STATUS_OK) << pxl_last_error();
    return value;
}

inline pxl_gguf_value element(const pxl_gguf* file, uint64_t array_id, uint64_t index) {
    pxl_gguf_value value = empty_value();
    EXPECT_EQ(pxl_gguf_array_get(file, array_id, index, &value), PXL_STATUS_OK) << pxl_last_error();
    return value;
}

inline std::string text(const pxl_gguf_value& value) { return std::string(value.string_data, value.count); }

} // namespace pxl_test
