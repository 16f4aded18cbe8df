// A weight as the model code sees it: a borrowed view of a tensor inside a mapped GGUF file.
#pragma once

#include "pixellm.h"

#include <cstdint>

namespace pxl {

struct weight_tensor {
    const char* name = nullptr;       // as in the file; borrowed from the gguf_file
    int32_t type = PXL_TENSOR_TYPE_F32;
    int32_t n_dims = 0;
    int64_t dims[PXL_MAX_DIMS] = {1, 1, 1, 1}; // innermost first: dims[0] is the row length
    const void* data = nullptr;       // borrowed from the mapping
    uint64_t byte_size = 0;
    const void* packed = nullptr;     // Q8_0 / Q4_0 matrices: the same values regrouped by cpu::repack
                                      // (owned by the model); products read this, not data

    int64_t rows() const { return dims[1] * dims[2] * dims[3]; }
};

} // namespace pxl
