// Portability shims for the few compiler extensions the core uses.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define PXL_PRINTF_FORMAT(format_index, first_arg) __attribute__((format(printf, format_index, first_arg)))
#else
#define PXL_PRINTF_FORMAT(format_index, first_arg)
#endif

// Turns off GCC's loop vectorizer for one function. GCC 12.2 at -O3 vectorizes the scalar BF16
// GEMM reference (scalar/gemm_scalar.cpp) into code that adds a product twice for some inner
// lengths (a 4-pair sum of small integers comes out 1 too high); -fno-tree-loop-vectorize fixes
// it. Reference code only, where speed does not matter.
#if defined(__GNUC__) && !defined(__clang__)
#define PXL_NO_LOOP_VECTORIZE __attribute__((optimize("no-tree-loop-vectorize")))
#else
#define PXL_NO_LOOP_VECTORIZE
#endif
