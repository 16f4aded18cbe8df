// A parsed, validated GGUF file (versions 2 and 3) over its bytes. Everything is checked in the
// constructor, so afterwards the object is immutable, safe to share between threads, and every
// accessor is safe for any index the caller has checked against the counts.
#pragma once

#include "format/file_mapping.h"
#include "pixellm.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pxl {

struct gguf_open_options {
    bool use_mmap = true;
    uint64_t max_metadata_bytes = uint64_t{1} << 30; // header, metadata and tensor table together
};

// One metadata value or array element. Scalars are held by value; strings and numeric arrays as
// positions in the file's bytes; arrays of strings or arrays as a run of child nodes. Parsing a
// 32000-token vocabulary thus costs one node per token and no allocation of its own.
struct gguf_node {
    pxl_gguf_type type;
    pxl_gguf_type element_type; // ARRAY: the type of its elements
    uint64_t count;             // ARRAY: elements; STRING: bytes; scalars: 1
    uint64_t bits;              // scalars: the value's little-endian bits, zero-extended; ARRAY: its own node index
    uint64_t position;          // STRING and numeric ARRAY: file offset of the bytes; other ARRAY: first child node
};

// Scalar decoding; the node's type says which applies.
uint64_t gguf_node_uint(const gguf_node& node); // UINT8..UINT64; BOOL as 0 or 1 (any nonzero byte is true)
int64_t gguf_node_int(const gguf_node& node);   // INT8..INT64, sign-extended
double gguf_node_float(const gguf_node& node);  // FLOAT32 (widened exactly), FLOAT64

struct gguf_tensor {
    std::string name;
    int32_t type;               // a type find_tensor_type() knows
    int32_t n_dims;             // 1..PXL_MAX_DIMS
    int64_t dims[PXL_MAX_DIMS]; // innermost first; entries past n_dims are 1
    uint64_t element_count;     // >= 1
    uint64_t byte_size;
    uint64_t file_offset; // absolute; the data lies inside the file and overlaps no other tensor
};

class gguf_file {
public:
    // Parses and validates; throws INVALID_FORMAT naming the field and its byte offset.
    gguf_file(file_mapping bytes, const gguf_open_options& options);
    gguf_file(const gguf_file&) = delete;
    gguf_file& operator=(const gguf_file&) = delete;

    uint32_t version() const { return version_; }
    uint64_t alignment() const { return alignment_; }
    uint64_t data_offset() const { return data_offset_; }
    uint64_t file_size() const { return bytes_.size(); }

    int64_t metadata_count() const { return static_cast<int64_t>(keys_.size()); }
    const std::string& key(int64_t index) const { return keys_[static_cast<size_t>(index)]; }
    const gguf_node& value(int64_t index) const { return nodes_[static_cast<size_t>(index)]; }
    int64_t find_key(std::string_view key) const; // -1 when absent

    // Array ids are opaque to callers: this file's serial number above the node index, so an id from
    // another file or a made-up number is recognised and refused, never dereferenced.
    uint64_t array_id(const gguf_node& array) const { return (uint64_t{serial_} << 32) | array.bits; }
    const gguf_node* find_array(uint64_t array_id) const;            // nullptr unless an array of this file
    gguf_node element(const gguf_node& array, uint64_t index) const; // index < array.count
    const uint8_t* array_data(const gguf_node& array) const { return bytes_.data() + array.position; } // numeric arrays
    std::string_view string(const gguf_node& node) const {
        return {reinterpret_cast<const char*>(bytes_.data() + node.position), static_cast<size_t>(node.count)};
    }

    int64_t tensor_count() const { return static_cast<int64_t>(tensors_.size()); }
    const gguf_tensor& tensor(int64_t index) const { return tensors_[static_cast<size_t>(index)]; }
    int64_t find_tensor(std::string_view name) const; // -1 when absent
    const uint8_t* tensor_data(const gguf_tensor& tensor) const { return bytes_.data() + tensor.file_offset; }
    // Releases the memory of a tensor's data that the caller has copied elsewhere and will never
    // read again (file_mapping::discard).
    void discard_tensor_data(const void* data, uint64_t size) { bytes_.discard(static_cast<const uint8_t*>(data), size); }

private:
    class parser;

    file_mapping bytes_;
    uint32_t serial_;
    uint32_t version_ = 0;
    uint64_t alignment_ = 0;
    uint64_t data_offset_ = 0;
    std::vector<gguf_node> nodes_; // [0, metadata_count): the pairs' values; then array elements
    // The indexes hold views into keys_ and tensors_, which are reserved to their final size before
    // parsing, so their elements never move.
    std::vector<std::string> keys_;
    std::unordered_map<std::string_view, int64_t> key_index_;
    std::vector<gguf_tensor> tensors_;
    std::unordered_map<std::string_view, int64_t> tensor_index_;
};

} // namespace pxl
