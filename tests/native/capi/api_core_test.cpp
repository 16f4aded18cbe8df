// Library-wide ABI calls: versions, status names, the thread-local last error, type names, logging.
#include "capi/abi_helpers.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>

namespace {

TEST(ApiCore, AbiVersionMatchesTheHeader) { EXPECT_EQ(pxl_abi_version(), static_cast<uint32_t>(PXL_ABI_VERSION)); }

TEST(ApiCore, VersionStringIsMajorMinorPatch) {
    int major = -1, minor = -1, patch = -1, used = 0;
    const std::string version = pxl_version_string();
    ASSERT_EQ(std::sscanf(version.c_str(), "%d.%d.%d%n", &major, &minor, &patch, &used), 3) << version;
    EXPECT_EQ(static_cast<size_t>(used), version.size()) << version;
    EXPECT_GE(major, 0);
}

TEST(ApiCore, EveryStatusHasItsStableName) {
    const char* names[] = {"ok",
                           "invalid_argument",
                           "io_error",
                           "invalid_format",
                           "unsupported",
                           "out_of_memory",
                           "buffer_too_small",
                           "not_found",
                           "type_mismatch",
                           "invalid_state",
                           "cancelled",
                           "internal_error",
                           "context_full"};
    for (int status = 0; status < 13; ++status)
        EXPECT_STREQ(pxl_status_name(static_cast<pxl_status>(status)), names[status]) << status;
}

TEST(ApiCore, UnknownStatusesAreNamedUnknown) {
    EXPECT_STREQ(c_host_status_name(13), "unknown");
    EXPECT_STREQ(c_host_status_name(-1), "unknown");
    EXPECT_STREQ(c_host_status_name(1000), "unknown");
}

TEST(ApiCore, LastErrorIsEmptyOnAThreadWhereNothingFailed) {
    std::string seen = "not run";
    std::thread([&] { seen = pxl_last_error(); }).join();
    EXPECT_EQ(seen, "");
}

TEST(ApiCore, LastErrorHoldsTheMessageOfTheFailedCallOnItsOwnThread) {
    EXPECT_EQ(pxl_gguf_open(nullptr, nullptr, nullptr), PXL_STATUS_INVALID_ARGUMENT);
    const std::string here = pxl_last_error();
    EXPECT_EQ(here, "pxl_gguf_open: out_file is NULL");
    std::string there;
    std::thread([&] {
        pxl_gguf* file = nullptr;
        EXPECT_EQ(pxl_gguf_open(nullptr, nullptr, &file), PXL_STATUS_INVALID_ARGUMENT);
        there = pxl_last_error();
    }).join();
    EXPECT_EQ(there, "pxl_gguf_open: path is NULL");
    EXPECT_EQ(std::string(pxl_last_error()), here);
}

TEST(ApiCore, GgufTypeNamesCoverTheThirteenTypes) {
    const char* names[] = {"uint8", "int8",   "uint16", "int16",  "uint32", "int32",  "float32",
                           "bool",  "string", "array",  "uint64", "int64",  "float64"};
    for (int32_t type = 0; type < 13; ++type) EXPECT_STREQ(pxl_gguf_type_name(type), names[type]) << type;
    EXPECT_EQ(pxl_gguf_type_name(13), nullptr);
    EXPECT_EQ(pxl_gguf_type_name(-1), nullptr);
}

void count_message(pxl_log_level, const char*, void* user_data) { ++*static_cast<int*>(user_data); }

TEST(ApiCore, FailedCallsReportThroughLastErrorNotTheLog) {
    int messages = 0;
    pxl_log_set_callback(count_message, &messages, PXL_LOG_LEVEL_DEBUG);
    pxl_gguf* file = nullptr;
    EXPECT_EQ(pxl_gguf_open("/nonexistent/pixellm.gguf", nullptr, &file), PXL_STATUS_IO_ERROR);
    pxl_log_set_callback(nullptr, nullptr, PXL_LOG_LEVEL_WARN);
    EXPECT_EQ(messages, 0);
}

TEST(ApiCore, LogLevelsOutsideTheEnumAreClampedNotTrusted) {
    c_host_log_set_callback(-5);
    c_host_log_set_callback(99);
    pxl_log_set_callback(nullptr, nullptr, PXL_LOG_LEVEL_WARN);
}

} // namespace
