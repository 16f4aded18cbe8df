#include "format/gguf_writer.h"

#include "core/checked_math.h"
#include "core/error.h"
#include "core/tensor_type.h"
#include "cpu/convert.h"

#include <cstring>
#include <limits>

namespace pxl {

namespace {

// f32 values converted per write when streaming a tensor: a multiple of every block size, and
// small enough that converting a multi-gigabyte tensor never holds more than a few hundred KiB.
constexpr uint64_t k_convert_chunk = uint64_t{1} << 16;

unsigned long long ull(uint64_t value) { return static_cast<unsigned long long>(value); }

uint64_t align_up(uint64_t value, uint64_t alignment, bool* ok) {
    uint64_t padded = 0;
    *ok = checked_add(value, alignment - 1, &padded);
    return padded / alignment * alignment;
}

void require_no_nul(std::string_view text, const char* what) {
    // The reader refuses names with NUL bytes (the ABI hands them out NUL-terminated).
    if (text.find('\0') != std::string_view::npos)
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: the %s contains a NUL byte", what);
}

} // namespace

template <class Step>
void gguf_writer::output(Step&& step) {
    try {
        step();
    } catch (const std::exception& e) {
        state_ = state::failed;
        failure_ = e.what();
        out_.reset(); // deletes the temporary file
        throw;
    }
}

void gguf_writer::require(state expected, const char* call) const {
    if (state_ == expected) return;
    if (state_ == state::failed)
        fail(PXL_STATUS_INVALID_STATE,
             "gguf writer: cannot %s: an earlier step failed (%s); start again with a new writer", call,
             failure_.c_str());
    if (state_ == state::finished) fail(PXL_STATUS_INVALID_STATE, "gguf writer: cannot %s: the file is finished", call);
    if (expected == state::writing)
        fail(PXL_STATUS_INVALID_STATE, "gguf writer: cannot %s before begin; call begin first", call);
    fail(PXL_STATUS_INVALID_STATE,
         "gguf writer: cannot %s: begin was already called (metadata and tensors are declared before begin)", call);
}

void gguf_writer::set(std::string_view key, gguf_value value) {
    require(state::declaring, "set metadata");
    require_no_nul(key, "key");
    if (key == k_gguf_alignment_key) {
        if (value.type() != PXL_GGUF_TYPE_UINT32)
            fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: general.alignment must be uint32, got %s",
                 gguf_type_name(value.type()));
        uint32_t alignment = 0;
        std::memcpy(&alignment, value.bytes().data(), sizeof alignment);
        if (!is_power_of_two(alignment))
            fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: general.alignment must be a nonzero power of two, got %u",
                 alignment);
        alignment_ = alignment;
    }
    const auto found = key_index_.find(std::string(key));
    if (found != key_index_.end()) {
        metadata_[found->second].value = std::move(value);
        return;
    }
    metadata_.push_back({std::string(key), std::move(value)});
    key_index_.emplace(metadata_.back().key, metadata_.size() - 1);
}

void gguf_writer::add_tensor(std::string_view name, int32_t type, const int64_t* dims, int32_t n_dims) {
    require(state::declaring, "add a tensor");
    require_no_nul(name, "tensor name");
    const std::string label(name);
    if (tensor_index_.count(label) != 0)
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: tensor '%s' is already declared", label.c_str());
    const tensor_type_traits* traits = find_tensor_type(type);
    if (traits == nullptr)
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: tensor '%s': unknown tensor type %d", label.c_str(), type);
    if (n_dims < 1 || n_dims > PXL_MAX_DIMS)
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: tensor '%s': n_dims is %d; a tensor has 1 to %d dimensions",
             label.c_str(), n_dims, PXL_MAX_DIMS);
    if (dims == nullptr) fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: tensor '%s': dims is NULL", label.c_str());

    tensor_decl tensor{label, type, n_dims, {1, 1, 1, 1}, 1, 0, 0};
    for (int32_t d = 0; d < n_dims; ++d) {
        if (dims[d] < 1)
            fail(PXL_STATUS_INVALID_ARGUMENT,
                 "gguf writer: tensor '%s': dims[%d] is %lld; every dimension must be at least 1", label.c_str(), d,
                 static_cast<long long>(dims[d]));
        if (!checked_mul(tensor.element_count, static_cast<uint64_t>(dims[d]), &tensor.element_count) ||
            tensor.element_count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: tensor '%s': the product of the dimensions overflows int64",
                 label.c_str());
        tensor.dims[d] = dims[d];
    }
    if (dims[0] % traits->block_elements != 0)
        fail(PXL_STATUS_INVALID_ARGUMENT,
             "gguf writer: tensor '%s': dims[0] is %lld, not a multiple of the %s block size (%lld)", label.c_str(),
             static_cast<long long>(dims[0]), traits->name, static_cast<long long>(traits->block_elements));
    if (!tensor_bytes(*traits, tensor.element_count, &tensor.byte_size))
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: tensor '%s': the byte size overflows 64 bits", label.c_str());
    tensors_.push_back(std::move(tensor));
    tensor_index_.emplace(label, tensors_.size() - 1);
}

void gguf_writer::begin(const std::string& path) {
    require(state::declaring, "begin");
    // Offsets are laid out now, since general.alignment may have changed after the declarations.
    uint64_t offset = 0;
    for (tensor_decl& tensor : tensors_) {
        tensor.offset = offset;
        uint64_t end = 0;
        bool aligned = true;
        const bool fits = checked_add(offset, tensor.byte_size, &end);
        offset = align_up(end, alignment_, &aligned);
        if (!fits || !aligned)
            fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: the tensor data together overflows 64 bits");
    }
    const std::vector<uint8_t> header = encode_header();
    out_ = std::make_unique<output_file>(path); // a failure here leaves the writer ready for another begin
    output([&] { out_->write(header.data(), header.size()); });
    state_ = state::writing;
}

std::vector<uint8_t> gguf_writer::encode_header() const {
    std::vector<uint8_t> header;
    const auto put = [&](const void* data, size_t size) { // see gguf_value::append for why not insert()
        if (size == 0) return;
        const size_t used = header.size();
        header.resize(used + size);
        std::memcpy(header.data() + used, data, size);
    };
    const auto put_u32 = [&](uint32_t value) { put(&value, sizeof value); };
    const auto put_u64 = [&](uint64_t value) { put(&value, sizeof value); };
    const auto put_string = [&](const std::string& text) {
        put_u64(text.size());
        put(text.data(), text.size());
    };

    put(k_gguf_magic, sizeof k_gguf_magic);
    put_u32(k_gguf_write_version);
    put_u64(tensors_.size());
    put_u64(metadata_.size());
    for (const entry& pair : metadata_) {
        put_string(pair.key);
        put_u32(static_cast<uint32_t>(pair.value.type()));
        put(pair.value.bytes().data(), pair.value.bytes().size());
    }
    for (const tensor_decl& tensor : tensors_) {
        put_string(tensor.name);
        put_u32(static_cast<uint32_t>(tensor.n_dims));
        for (int32_t d = 0; d < tensor.n_dims; ++d) put_u64(static_cast<uint64_t>(tensor.dims[d]));
        put_u32(static_cast<uint32_t>(tensor.type));
        put_u64(tensor.offset);
    }
    bool ok = true;
    header.resize(align_up(header.size(), alignment_, &ok), 0); // the data section starts aligned
    return header;
}

const gguf_writer::tensor_decl& gguf_writer::next_tensor(const char* call) const {
    require(state::writing, call);
    if (tensors_written_ == tensors_.size())
        fail(PXL_STATUS_INVALID_STATE, "gguf writer: cannot %s: all %zu declared tensors are written; call finish",
             call, tensors_.size());
    return tensors_[tensors_written_];
}

void gguf_writer::write_tensor(const void* data, uint64_t size) {
    const tensor_decl& tensor = next_tensor("write a tensor");
    if (size != tensor.byte_size)
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: tensor %zu ('%s') holds %llu bytes, got %llu", tensors_written_,
             tensor.name.c_str(), ull(tensor.byte_size), ull(size));
    if (data == nullptr) fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: data is NULL");
    output([&] {
        out_->write(data, size);
        end_tensor();
    });
}

void gguf_writer::write_tensor_f32(const float* values, uint64_t count) {
    const tensor_decl& tensor = next_tensor("write a tensor");
    const tensor_type_traits& traits = *find_tensor_type(tensor.type);
    if (!cpu::is_convertible(tensor.type))
        fail(PXL_STATUS_UNSUPPORTED,
             "gguf writer: tensor %zu ('%s') has type %s, which this build cannot convert from f32; "
             "write its stored bytes instead",
             tensors_written_, tensor.name.c_str(), traits.name);
    if (count != tensor.element_count)
        fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: tensor %zu ('%s') holds %llu values, got %llu",
             tensors_written_, tensor.name.c_str(), ull(tensor.element_count), ull(count));
    if (values == nullptr) fail(PXL_STATUS_INVALID_ARGUMENT, "gguf writer: values is NULL");
    output([&] {
        const uint64_t block_elements = static_cast<uint64_t>(traits.block_elements);
        const uint64_t block_bytes = static_cast<uint64_t>(traits.block_bytes);
        const uint64_t chunk = count < k_convert_chunk ? count : k_convert_chunk;
        std::vector<uint8_t> encoded(static_cast<size_t>(chunk / block_elements * block_bytes));
        for (uint64_t done = 0; done < count;) {
            const uint64_t n = count - done < chunk ? count - done : chunk;
            cpu::from_f32(static_cast<pxl_tensor_type>(tensor.type), values + done, encoded.data(),
                          static_cast<int64_t>(n));
            out_->write(encoded.data(), n / block_elements * block_bytes);
            done += n;
        }
        end_tensor();
    });
}

void gguf_writer::end_tensor() {
    bool ok = true;
    out_->write_zeros(align_up(out_->position(), alignment_, &ok) - out_->position());
    ++tensors_written_;
}

void gguf_writer::finish() {
    require(state::writing, "finish");
    if (tensors_written_ < tensors_.size())
        fail(PXL_STATUS_INVALID_STATE,
             "gguf writer: cannot finish: %zu of %zu tensors are written; tensor %zu ('%s') is next", tensors_written_,
             tensors_.size(), tensors_written_, tensors_[tensors_written_].name.c_str());
    output([&] { out_->commit(); });
    out_.reset();
    state_ = state::finished;
}

} // namespace pxl
