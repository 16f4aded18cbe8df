// C ABI: versions, status names, the last error, the log hook and metadata type names.
#include "core/api_guard.h"
#include "core/last_error.h"
#include "core/log.h"
#include "capi/enum_arg.h"
#include "format/gguf_types.h"

#ifndef PIXELLM_VERSION
#error "PIXELLM_VERSION comes from native/src/capi/sources.cmake (the project() version)"
#endif

extern "C" PXL_API uint32_t pxl_abi_version(void) { return PXL_ABI_VERSION; }

extern "C" PXL_API const char* pxl_version_string(void) { return PIXELLM_VERSION; }

extern "C" PXL_API const char* pxl_status_name(pxl_status status) {
    switch (pxl::enum_arg(status)) {
    case PXL_STATUS_OK: return "ok";
    case PXL_STATUS_INVALID_ARGUMENT: return "invalid_argument";
    case PXL_STATUS_IO_ERROR: return "io_error";
    case PXL_STATUS_INVALID_FORMAT: return "invalid_format";
    case PXL_STATUS_UNSUPPORTED: return "unsupported";
    case PXL_STATUS_OUT_OF_MEMORY: return "out_of_memory";
    case PXL_STATUS_BUFFER_TOO_SMALL: return "buffer_too_small";
    case PXL_STATUS_NOT_FOUND: return "not_found";
    case PXL_STATUS_TYPE_MISMATCH: return "type_mismatch";
    case PXL_STATUS_INVALID_STATE: return "invalid_state";
    case PXL_STATUS_CANCELLED: return "cancelled";
    case PXL_STATUS_INTERNAL_ERROR: return "internal_error";
    case PXL_STATUS_CONTEXT_FULL: return "context_full";
    default: return "unknown";
    }
}

extern "C" PXL_API const char* pxl_last_error(void) { return pxl::last_error(); }

extern "C" PXL_API void pxl_log_set_callback(pxl_log_callback callback, void* user_data, pxl_log_level min_level) {
    PXL_API_GUARD({
        // Below DEBUG means everything, above NONE means nothing: clamp rather than refuse (no status to return).
        const int32_t level = pxl::enum_arg(min_level);
        const int32_t clamped = level < PXL_LOG_LEVEL_DEBUG  ? PXL_LOG_LEVEL_DEBUG
                                : level > PXL_LOG_LEVEL_NONE ? PXL_LOG_LEVEL_NONE
                                                             : level;
        pxl::set_log_callback(callback, user_data, static_cast<pxl_log_level>(clamped));
    });
}

extern "C" PXL_API const char* pxl_gguf_type_name(int32_t type) { return pxl::gguf_type_name(type); }
