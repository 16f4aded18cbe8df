// Facts of the GGUF container shared by the reader and the writer: magic, versions, limits and the
// wire sizes of metadata value types.
#pragma once

#include "pixellm.h"

#include <bit>
#include <cstdint>

namespace pxl {

// Every multi-byte field is little-endian and read with memcpy; a big-endian host would need swaps.
static_assert(std::endian::native == std::endian::little, "the GGUF code assumes a little-endian host");

inline constexpr uint8_t k_gguf_magic[4] = {'G', 'G', 'U', 'F'};
inline constexpr uint32_t k_gguf_write_version = 3; // v2 and v3 share one layout; v3 is what we write
inline constexpr uint64_t k_gguf_default_alignment = 32;
inline constexpr const char* k_gguf_alignment_key = "general.alignment";

// Arrays may hold arrays. Real files nest at most once; the limit bounds recursion on hostile input.
inline constexpr uint32_t k_gguf_max_array_depth = 8;

// Wire bytes of one value of a scalar metadata type (BOOL is one byte); 0 for STRING, ARRAY and
// numbers that are no type.
inline uint64_t gguf_scalar_size(int32_t type) {
    switch (type) {
    case PXL_GGUF_TYPE_UINT8:
    case PXL_GGUF_TYPE_INT8:
    case PXL_GGUF_TYPE_BOOL: return 1;
    case PXL_GGUF_TYPE_UINT16:
    case PXL_GGUF_TYPE_INT16: return 2;
    case PXL_GGUF_TYPE_UINT32:
    case PXL_GGUF_TYPE_INT32:
    case PXL_GGUF_TYPE_FLOAT32: return 4;
    case PXL_GGUF_TYPE_UINT64:
    case PXL_GGUF_TYPE_INT64:
    case PXL_GGUF_TYPE_FLOAT64: return 8;
    default: return 0;
    }
}

// "uint8", ..., "float64"; nullptr for numbers that are no metadata type.
const char* gguf_type_name(int32_t type);

inline bool is_power_of_two(uint64_t value) { return value != 0 && (value & (value - 1)) == 0; }

} // namespace pxl
