// Enum arguments of the C ABI, read safely. A C host may pass any int where pixellm.h declares an
// enum, but in C++ loading a value outside the enum's range as the enum type is undefined
// behaviour (UBSan's -fsanitize=enum reports it). So the bytes are read as the integer they are,
// and only validated values are turned back into the enum.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace pxl {

template <class Enum>
int32_t enum_arg(const Enum& value) {
    static_assert(std::is_enum_v<Enum> && sizeof(Enum) == sizeof(int32_t), "C enums are int-sized");
    int32_t raw;
    std::memcpy(&raw, &value, sizeof raw);
    return raw;
}

} // namespace pxl
