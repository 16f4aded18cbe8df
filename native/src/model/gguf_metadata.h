// Typed reads of GGUF metadata for model loading. A missing key or a value of the wrong type is a
// PXL_STATUS_INVALID_FORMAT error that names the key, what was expected and what was found.
#pragma once

#include "format/gguf_file.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pxl {

// Any integer type holding a value >= 0.
std::optional<uint64_t> find_uint(const gguf_file& file, std::string_view key);
uint64_t require_uint(const gguf_file& file, std::string_view key);

// A width or count read from the file: in 1..2^24, small enough that products of two widths stay
// far from overflow (no real model comes near 2^24 in any of them). INVALID_FORMAT naming the key.
int64_t checked_width(std::string_view key, uint64_t value);
int64_t require_width(const gguf_file& file, std::string_view key);

// Any integer type, sign kept.
std::optional<int64_t> find_int(const gguf_file& file, std::string_view key);
int64_t require_int(const gguf_file& file, std::string_view key);

// FLOAT32 or FLOAT64.
std::optional<double> find_float(const gguf_file& file, std::string_view key);
double require_float(const gguf_file& file, std::string_view key);

std::optional<std::string_view> find_string(const gguf_file& file, std::string_view key);
std::string_view require_string(const gguf_file& file, std::string_view key);

// Number of elements of an ARRAY value; nullopt when the key is absent.
std::optional<uint64_t> find_array_length(const gguf_file& file, std::string_view key);

// A whole ARRAY of integers (each >= 0) or of FLOAT32/FLOAT64; at most max_count elements, so a
// hostile file cannot make the loader allocate what it claims.
std::vector<uint64_t> require_uint_array(const gguf_file& file, std::string_view key, uint64_t max_count);
std::vector<double> require_float_array(const gguf_file& file, std::string_view key, uint64_t max_count);

} // namespace pxl
