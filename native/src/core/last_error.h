// The thread-local message behind pxl_last_error().
#pragma once

#include <string>

namespace pxl {

void set_last_error(std::string message);
const char* last_error();

} // namespace pxl
