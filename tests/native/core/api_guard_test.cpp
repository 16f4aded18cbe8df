// core/api_guard.h: how exceptions become statuses and thread-local messages.
#include "core/api_guard.h"

#include <gtest/gtest.h>

#include <new>
#include <stdexcept>
#include <string>
#include <thread>

namespace pxl::test {
namespace {

pxl_status guarded(void (*body)()) { return pxl::api_guard("pxl_test_call", body); }

TEST(api_guard, success_is_ok) {
    bool ran = false;
    EXPECT_EQ(PXL_API_GUARD({ ran = true; }), PXL_STATUS_OK);
    EXPECT_TRUE(ran);
}

TEST(api_guard, keeps_the_status_of_a_pxl_error) {
    EXPECT_EQ(guarded([] { pxl::fail(PXL_STATUS_NOT_FOUND, "tensor %s not found", "w"); }), PXL_STATUS_NOT_FOUND);
    EXPECT_STREQ(pxl::last_error(), "tensor w not found");
    EXPECT_EQ(guarded([] { PXL_CHECK_ARG(false, "bad"); }), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_STREQ(pxl::last_error(), "bad");
}

TEST(api_guard, maps_bad_alloc_to_out_of_memory) {
    EXPECT_EQ(guarded([] { throw std::bad_alloc(); }), PXL_STATUS_OUT_OF_MEMORY);
    EXPECT_EQ(std::string(pxl::last_error()), "pxl_test_call: out of memory");
}

void count_errors(pxl_log_level level, const char*, void* user_data) {
    if (level == PXL_LOG_LEVEL_ERROR) ++*static_cast<int*>(user_data);
}

TEST(api_guard, maps_other_exceptions_to_internal_error) {
    int logged = 0;
    pxl::set_log_callback(count_errors, &logged, PXL_LOG_LEVEL_DEBUG);
    EXPECT_EQ(guarded([] { throw std::logic_error("invariant broken"); }), PXL_STATUS_INTERNAL_ERROR);
    pxl::set_log_callback(nullptr, nullptr, PXL_LOG_LEVEL_WARN);
    EXPECT_EQ(logged, 1) << "a bug in the library is also logged";
    const std::string message = pxl::last_error();
    EXPECT_NE(message.find("pxl_test_call"), std::string::npos) << message;
    EXPECT_NE(message.find("invariant broken"), std::string::npos) << message;
    EXPECT_EQ(guarded([] { throw 42; }), PXL_STATUS_INTERNAL_ERROR);
    EXPECT_NE(std::string(pxl::last_error()).find("unknown exception"), std::string::npos);
}

TEST(api_guard, message_is_per_thread) {
    EXPECT_EQ(guarded([] { pxl::fail(PXL_STATUS_IO_ERROR, "main thread"); }), PXL_STATUS_IO_ERROR);
    std::string seen_by_other;
    std::thread([&seen_by_other] {
        seen_by_other = pxl::last_error();
        guarded([] { pxl::fail(PXL_STATUS_IO_ERROR, "other thread"); });
    }).join();
    EXPECT_EQ(seen_by_other, "");
    EXPECT_STREQ(pxl::last_error(), "main thread");
}

} // namespace
} // namespace pxl::test
