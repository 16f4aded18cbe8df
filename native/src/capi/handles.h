// The structs behind the C ABI's opaque handles, shared by the capi files that take them.
#pragma once

#include "model/llama/llama_context.h"
#include "core/error.h"
#include "model/llama/llama_model.h"
#include "model/pixel/pixel_context.h"
#include "model/pixel/pixel_model.h"

#include <memory>

struct pxl_model {
    std::unique_ptr<pxl::llama_model> llm;
};

struct pxl_context {
    std::unique_ptr<pxl::llama_context> llm;
};

struct pxl_pixel_model {
    std::unique_ptr<pxl::pixel_model> pixel;
};

struct pxl_pixel_context {
    std::unique_ptr<pxl::pixel_context> pixel;
};

namespace pxl {

// INVALID_ARGUMENT unless a caller-sized struct is at least as large as this library's.
template <class Struct>
void check_struct_size(const Struct* value, const char* name) {
    PXL_CHECK_ARG(value->struct_size >= sizeof(Struct), "%s->struct_size is %llu; expected at least %zu", name,
                  static_cast<unsigned long long>(value->struct_size), sizeof(Struct));
}

} // namespace pxl
