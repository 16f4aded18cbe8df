// The one guard every C ABI body runs in: no exception crosses the boundary. A pxl::error keeps its
// status; out-of-memory and any other exception become statuses too, with the message stored for
// pxl_last_error() on the calling thread.
#pragma once

#include "core/error.h"
#include "core/last_error.h"
#include "core/log.h"

#include <new>

namespace pxl {

template <class Body>
pxl_status api_guard(const char* function, Body&& body) noexcept {
    try {
        body();
        return PXL_STATUS_OK;
    } catch (const error& e) {
        set_last_error(e.what());
        return e.status();
    } catch (const std::bad_alloc&) {
        set_last_error(format("%s: out of memory", function));
        return PXL_STATUS_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        set_last_error(format("%s: internal error: %s", function, e.what()));
        log(PXL_LOG_LEVEL_ERROR, "%s: internal error: %s", function, e.what());
        return PXL_STATUS_INTERNAL_ERROR;
    } catch (...) {
        set_last_error(format("%s: internal error: unknown exception", function));
        log(PXL_LOG_LEVEL_ERROR, "%s: internal error: unknown exception", function);
        return PXL_STATUS_INTERNAL_ERROR;
    }
}

} // namespace pxl

// Usage: pxl_status pxl_x(...) { return PXL_API_GUARD({ ...body... }); }
// `function` names the enclosing API function; inside the body __func__ would say "operator()".
#define PXL_API_GUARD(...) ::pxl::api_guard(__func__, [&]() __VA_ARGS__)
