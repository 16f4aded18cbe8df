// Internal error type and the helpers that raise it. Errors travel as C++ exceptions inside the
// library and are turned into a pxl_status plus a thread-local message at the C ABI (api_guard.h).
#pragma once

#include "core/compiler.h"
#include "pixellm.h"

#include <stdexcept>
#include <string>

namespace pxl {

class error : public std::runtime_error {
public:
    error(pxl_status status, std::string message) : std::runtime_error(std::move(message)), status_(status) {}
    pxl_status status() const noexcept { return status_; }

private:
    pxl_status status_;
};

// printf-style formatting into a std::string (GCC 12 has no <format>).
std::string format(const char* fmt, ...) PXL_PRINTF_FORMAT(1, 2);

[[noreturn]] void fail(pxl_status status, const char* fmt, ...) PXL_PRINTF_FORMAT(2, 3);

} // namespace pxl

// Checks an argument of a public call; names the argument in the message.
#define PXL_CHECK_ARG(cond, ...)                                                                 \
    do {                                                                                         \
        if (!(cond)) ::pxl::fail(PXL_STATUS_INVALID_ARGUMENT, __VA_ARGS__);                      \
    } while (0)
