// Writes a GGUF file (version 3). Metadata and tensor declarations come first, in any order; begin()
// writes the header and tensor table to a temporary file beside the destination; the tensors' data
// follow one by one in declaration order, streamed straight to disk; finish() renames the file into
// place. Destroying an unfinished writer deletes its temporary file.
#pragma once

#include "format/gguf_types.h"
#include "format/gguf_value.h"
#include "format/output_file.h"
#include "pixellm.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pxl {

class gguf_writer {
public:
    gguf_writer() = default;
    gguf_writer(const gguf_writer&) = delete;
    gguf_writer& operator=(const gguf_writer&) = delete;

    // Setting a key again replaces its value in place (the key keeps its position). general.alignment
    // must be a UINT32 power of two and sets the alignment of the tensor data.
    void set(std::string_view key, gguf_value value);

    // dims are innermost first; n_dims 1..PXL_MAX_DIMS; every dim >= 1; dims[0] a multiple of the
    // type's block size; names unique.
    void add_tensor(std::string_view name, int32_t type, const int64_t* dims, int32_t n_dims);

    void begin(const std::string& path);
    // The next tensor's stored bytes; `size` must be its byte size.
    void write_tensor(const void* data, uint64_t size);
    // The next tensor from `count` f32 values (its element count), converted to its type.
    void write_tensor_f32(const float* values, uint64_t count);
    void finish();

    uint64_t alignment() const { return alignment_; }

private:
    enum class state { declaring, writing, finished, failed };

    struct entry {
        std::string key;
        gguf_value value;
    };

    struct tensor_decl {
        std::string name;
        int32_t type;
        int32_t n_dims;
        int64_t dims[PXL_MAX_DIMS];
        uint64_t element_count;
        uint64_t byte_size;
        uint64_t offset; // relative to the data section
    };

    void require(state expected, const char* call) const;
    const tensor_decl& next_tensor(const char* call) const;
    std::vector<uint8_t> encode_header() const;
    // Runs an output step; if it throws, the writer fails for good and its temporary file is deleted.
    template <class Step>
    void output(Step&& step);
    void end_tensor();

    state state_ = state::declaring;
    std::string failure_; // why the writer failed, for the calls that follow
    std::vector<entry> metadata_;
    std::unordered_map<std::string, size_t> key_index_;
    std::vector<tensor_decl> tensors_;
    std::unordered_map<std::string, size_t> tensor_index_;
    uint64_t alignment_ = k_gguf_default_alignment;
    std::unique_ptr<output_file> out_;
    size_t tensors_written_ = 0;
};

} // namespace pxl
