// Storage facts of every tensor element type GGUF defines: name, block size, bytes per block.
// Sizes are the GGUF/ggml block layouts; they let us list and bounds-check tensors of types we
// cannot compute with.
#pragma once

#include "pixellm.h"

#include <cstdint>

namespace pxl {

struct tensor_type_traits {
    const char* name;        // GGUF name, e.g. "q4_0"
    int64_t block_elements;  // values per block
    int64_t block_bytes;     // bytes per block
};

// nullptr for a number that is no known type (including the ids ggml retired).
const tensor_type_traits* find_tensor_type(int32_t type);

// Bytes for `elements` values of a known type. The caller guarantees `elements` is a multiple of the
// block size; returns false when the result would overflow.
bool tensor_bytes(const tensor_type_traits& traits, uint64_t elements, uint64_t* out_bytes);

} // namespace pxl
