// Portability shims for the few compiler extensions the core uses.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define PXL_PRINTF_FORMAT(format_index, first_arg) __attribute__((format(printf, format_index, first_arg)))
#else
#define PXL_PRINTF_FORMAT(format_index, first_arg)
#endif
