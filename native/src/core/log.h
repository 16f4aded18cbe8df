// Library logging: goes to the host's callback (pxl_log_set_callback) or, by default, to stderr.
#pragma once

#include "core/compiler.h"
#include "pixellm.h"

namespace pxl {

void set_log_callback(pxl_log_callback callback, void* user_data, pxl_log_level min_level);
bool log_enabled(pxl_log_level level);
void log(pxl_log_level level, const char* fmt, ...) PXL_PRINTF_FORMAT(2, 3);

} // namespace pxl
