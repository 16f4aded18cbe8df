// Runs a piece of library code and captures the pxl::error it raises, so internal-class tests can
// check statuses and messages as the C ABI would report them.
#pragma once

#include "core/error.h"
#include "format/gguf_bytes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pxl_test {

struct captured_error {
    pxl_status status;
    std::string message;
};

template <class Body>
captured_error capture_error(Body&& body) {
    try {
        body();
        return {PXL_STATUS_OK, ""};
    } catch (const pxl::error& e) {
        return {e.status(), e.what()};
    }
}

} // namespace pxl_test

// Checks the status and that the message holds every listed part (the field, its offset, ...).
#define EXPECT_ERROR(captured, expected_status, ...) \
    do { \
        const ::pxl_test::captured_error& error_ = (captured); \
        EXPECT_EQ(error_.status, expected_status) << error_.message; \
        for (const std::string& part_ : std::vector<std::string>{__VA_ARGS__}) \
            EXPECT_TRUE(::pxl_test::contains(error_.message, part_)) \
                << "message: " << error_.message << "\nmissing: " << part_; \
    } while (0)
