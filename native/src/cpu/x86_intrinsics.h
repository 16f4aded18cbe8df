// <immintrin.h> for the SIMD translation units (never include it from portable code).
#pragma once

// GCC 12's AVX-512 headers initialise their "undefined" vectors from themselves, which trips
// -Wmaybe-uninitialized inside nearly every 512-bit intrinsic (GCC PR 105593). Silenced for the
// header's own lines only, so our code keeps the warning.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// For helpers that take accumulator arrays by reference: unless inlined, GCC keeps the array in
// memory and every block round-trips through the stack.
#if defined(_MSC_VER) && !defined(__clang__)
#define PXL_SIMD_INLINE __forceinline
#else
#define PXL_SIMD_INLINE inline __attribute__((always_inline))
#endif
