// core/error.h: format, fail and PXL_CHECK_ARG.
#include "core/error.h"

#include <gtest/gtest.h>

#include <string>

namespace pxl::test {
namespace {

TEST(error, format_is_printf_style) {
    EXPECT_EQ(pxl::format("%s=%d", "n", 42), "n=42");
    EXPECT_EQ(pxl::format("%s", ""), "");
    const std::string long_text(5000, 'x');
    EXPECT_EQ(pxl::format("<%s>", long_text.c_str()), "<" + long_text + ">");  // no fixed-size buffer
}

TEST(error, fail_throws_the_status_and_message) {
    try {
        pxl::fail(PXL_STATUS_INVALID_FORMAT, "field %s at offset %d", "n_tensors", 24);
        FAIL() << "no exception";
    } catch (const pxl::error& e) {
        EXPECT_EQ(e.status(), PXL_STATUS_INVALID_FORMAT);
        EXPECT_STREQ(e.what(), "field n_tensors at offset 24");
    }
}

TEST(error, check_arg_raises_invalid_argument_only_when_false) {
    EXPECT_NO_THROW(PXL_CHECK_ARG(true, "never"));
    try {
        PXL_CHECK_ARG(1 + 1 == 3, "x is %d", 7);
        FAIL() << "no exception";
    } catch (const pxl::error& e) {
        EXPECT_EQ(e.status(), PXL_STATUS_INVALID_ARGUMENT);
        EXPECT_STREQ(e.what(), "x is 7");
    }
}

} // namespace
} // namespace pxl::test
