#include "format/gguf_types.h"

namespace pxl {

const char* gguf_type_name(int32_t type) {
    static const char* const names[] = {
        "uint8", "int8",   "uint16", "int16",  "uint32", "int32",   "float32",
        "bool",  "string", "array",  "uint64", "int64",  "float64",
    };
    if (type < 0 || type >= static_cast<int32_t>(sizeof names / sizeof names[0])) return nullptr;
    return names[type];
}

} // namespace pxl
