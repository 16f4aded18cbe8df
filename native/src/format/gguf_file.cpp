#include "format/gguf_file.h"

#include "core/checked_math.h"
#include "core/error.h"
#include "core/tensor_type.h"
#include "format/byte_reader.h"
#include "format/gguf_types.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <limits>

namespace pxl {

namespace {

// Smallest wire size of each item. A count whose items cannot fit in the bytes left is a lie, and
// rejecting it before anything is reserved keeps a forged count from sizing an allocation.
constexpr uint64_t k_min_kv_bytes = 8 + 4 + 1;                  // empty key, type, one-byte value
constexpr uint64_t k_min_tensor_info_bytes = 8 + 4 + 8 + 4 + 8; // empty name, n_dims, one dim, type, offset
constexpr uint64_t k_min_string_bytes = 8;                      // the length
constexpr uint64_t k_min_array_bytes = 4 + 8;                   // element type and count

// Array ids carry the node index in 32 bits.
constexpr uint64_t k_max_nodes = std::numeric_limits<uint32_t>::max();

const char* const k_dim_fields[PXL_MAX_DIMS] = {"dims[0]", "dims[1]", "dims[2]", "dims[3]"};

std::atomic<uint32_t> g_next_serial{1};

uint32_t next_serial() {
    uint32_t serial = g_next_serial.fetch_add(1, std::memory_order_relaxed);
    if (serial == 0) serial = g_next_serial.fetch_add(1, std::memory_order_relaxed); // 0 after wrap-around
    return serial;
}

unsigned long long ull(uint64_t value) { return static_cast<unsigned long long>(value); }

// Names come from the file: keep messages short and printable whatever bytes they hold.
std::string printable(std::string_view text) {
    constexpr size_t k_max_shown = 80;
    std::string out;
    for (size_t i = 0; i < text.size() && i < k_max_shown; ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
            out += static_cast<char>(c);
        else
            out += format("\\x%02x", c);
    }
    if (text.size() > k_max_shown) out += "...";
    return out;
}

const char* type_label(uint32_t type) {
    const char* name = gguf_type_name(static_cast<int32_t>(type));
    return name != nullptr ? name : "unknown";
}

// Where the parser is; rendered only when something fails.
class parse_location final : public read_context {
public:
    enum class section { header, metadata, tensors };

    std::string describe() const override {
        std::string text = "gguf:";
        if (part == section::header) text += " header";
        if (part == section::metadata) text += format(" kv %llu", ull(index));
        if (part == section::tensors) text += format(" tensor %llu", ull(index));
        if (!name.empty()) text += " ('" + printable(name) + "')";
        if (depth > 0) {
            text += " element ";
            for (uint32_t d = 0; d < depth; ++d) text += format("[%llu]", ull(element[d]));
        }
        return text;
    }

    section part = section::header;
    uint64_t index = 0;
    std::string_view name;                         // the key or tensor name, once read
    uint32_t depth = 0;                            // how many arrays enclose the value being read
    uint64_t element[k_gguf_max_array_depth] = {}; // the element index within each of them
};

} // namespace

uint64_t gguf_node_uint(const gguf_node& node) {
    return node.type == PXL_GGUF_TYPE_BOOL ? (node.bits != 0 ? 1 : 0) : node.bits;
}

int64_t gguf_node_int(const gguf_node& node) {
    const uint64_t size = gguf_scalar_size(node.type);
    if (size == 0 || size == 8) return static_cast<int64_t>(node.bits);
    const uint64_t sign = uint64_t{1} << (size * 8 - 1);
    return static_cast<int64_t>((node.bits ^ sign) - sign); // sign-extend without shifting signed values
}

double gguf_node_float(const gguf_node& node) {
    if (node.type == PXL_GGUF_TYPE_FLOAT32) return std::bit_cast<float>(static_cast<uint32_t>(node.bits));
    return std::bit_cast<double>(node.bits);
}

class gguf_file::parser {
public:
    parser(gguf_file& file, uint64_t max_metadata_bytes)
        : file_(file), reader_(file.bytes_.data(), file.bytes_.size(), max_metadata_bytes, where_) {}

    void run() {
        read_header();
        read_metadata();
        read_tensor_infos();
        place_tensor_data();
    }

private:
    void read_header() {
        const uint8_t* magic = reader_.take(4, "magic", 0);
        if (std::memcmp(magic, k_gguf_magic, 4) != 0)
            reader_.fail("magic", 0,
                         format("expected 'GGUF' (47 47 55 46), found %02x %02x %02x %02x", magic[0], magic[1],
                                magic[2], magic[3]));
        const uint64_t version_at = reader_.offset();
        const uint32_t version = reader_.read<uint32_t>("version");
        if (version == 1)
            reader_.fail("version", version_at,
                         "version 1 (32-bit counts) is not supported; versions 2 and 3 are: convert the file again");
        if (version != 2 && version != 3) {
            const uint32_t swapped =
                (version >> 24) | ((version >> 8) & 0xff00u) | ((version << 8) & 0xff0000u) | (version << 24);
            reader_.fail("version", version_at,
                         format("unsupported version %u; versions 2 and 3 are supported%s", version,
                                swapped == 2 || swapped == 3 ? " (this looks like a big-endian file)" : ""));
        }
        file_.version_ = version;

        const uint64_t tensor_count_at = reader_.offset();
        tensor_count_ = reader_.read<uint64_t>("tensor_count");
        const uint64_t kv_count_at = reader_.offset();
        kv_count_ = reader_.read<uint64_t>("kv_count");
        const uint64_t left = reader_.remaining();
        if (kv_count_ > left / k_min_kv_bytes)
            reader_.fail("kv_count", kv_count_at,
                         format("%llu pairs cannot fit in the %llu bytes left before %s (each needs at least %llu)",
                                ull(kv_count_), ull(left), reader_.end_name().c_str(), ull(k_min_kv_bytes)));
        if (kv_count_ > k_max_nodes) // only a file of more than 50 GiB of metadata gets here
            reader_.fail("kv_count", kv_count_at, format("%llu pairs; at most 2^32 - 1 are supported", ull(kv_count_)));
        if (tensor_count_ > (left - kv_count_ * k_min_kv_bytes) / k_min_tensor_info_bytes)
            reader_.fail(
                "tensor_count", tensor_count_at,
                format("%llu tensor infos cannot fit in the %llu bytes left before %s (each needs at least %llu)",
                       ull(tensor_count_), ull(left), reader_.end_name().c_str(), ull(k_min_tensor_info_bytes)));
    }

    void read_metadata() {
        where_.part = parse_location::section::metadata;
        file_.nodes_.resize(kv_count_); // the pairs' values come first; array elements follow
        file_.keys_.reserve(kv_count_);
        file_.key_index_.reserve(kv_count_);
        file_.alignment_ = k_gguf_default_alignment;
        for (uint64_t i = 0; i < kv_count_; ++i) {
            where_.index = i;
            where_.name = {};
            const uint64_t key_at = reader_.offset();
            const std::string_view key = read_name("key");
            where_.name = key;
            file_.keys_.emplace_back(key);
            const auto [existing, inserted] = file_.key_index_.emplace(file_.keys_.back(), static_cast<int64_t>(i));
            if (!inserted)
                reader_.fail("key", key_at,
                             format("duplicate key (kv %lld has it too)", static_cast<long long>(existing->second)));

            const uint64_t type_at = reader_.offset();
            const uint32_t type = reader_.read<uint32_t>("type");
            const uint64_t value_at = reader_.offset();
            file_.nodes_[i] = read_value(type, type_at, i, 0);
            if (key == k_gguf_alignment_key) read_alignment(file_.nodes_[i], type_at, value_at);
        }
    }

    void read_alignment(const gguf_node& value, uint64_t type_at, uint64_t value_at) {
        if (value.type != PXL_GGUF_TYPE_UINT32)
            reader_.fail("type", type_at, format("general.alignment must be uint32, found %s", type_label(value.type)));
        if (!is_power_of_two(value.bits))
            reader_.fail("value", value_at,
                         format("general.alignment must be a nonzero power of two, found %llu", ull(value.bits)));
        file_.alignment_ = value.bits;
    }

    // A value of `type` whose type field was at `type_at`; `self` is the node index it will occupy.
    gguf_node read_value(uint32_t type, uint64_t type_at, uint64_t self, uint32_t depth) {
        if (type == PXL_GGUF_TYPE_STRING) {
            const uint64_t at = reader_.offset();
            const uint64_t length = reader_.read<uint64_t>("string length");
            const uint64_t position = reader_.offset();
            reader_.take(length, "string length", at);
            return {PXL_GGUF_TYPE_STRING, PXL_GGUF_TYPE_UINT8, length, 0, position};
        }
        if (type == PXL_GGUF_TYPE_ARRAY) return read_array(type_at, self, depth);
        const uint64_t size = gguf_scalar_size(static_cast<int32_t>(type));
        if (size == 0) reader_.fail("type", type_at, format("unknown value type %u", type));
        uint64_t bits = 0;
        std::memcpy(&bits, reader_.take(size, "value", reader_.offset()), static_cast<size_t>(size));
        return {static_cast<pxl_gguf_type>(type), PXL_GGUF_TYPE_UINT8, 1, bits, 0};
    }

    gguf_node read_array(uint64_t type_at, uint64_t self, uint32_t depth) {
        if (depth >= k_gguf_max_array_depth)
            reader_.fail("type", type_at, format("arrays nest deeper than %u levels", k_gguf_max_array_depth));
        const uint64_t element_type_at = reader_.offset();
        const uint32_t element_type = reader_.read<uint32_t>("array element type");
        const bool has_children = element_type == PXL_GGUF_TYPE_STRING || element_type == PXL_GGUF_TYPE_ARRAY;
        const uint64_t size = gguf_scalar_size(static_cast<int32_t>(element_type));
        if (!has_children && size == 0) // checked before the number becomes an enum value
            reader_.fail("array element type", element_type_at, format("unknown value type %u", element_type));
        const uint64_t count_at = reader_.offset();
        const uint64_t count = reader_.read<uint64_t>("array count");
        gguf_node array{PXL_GGUF_TYPE_ARRAY, static_cast<pxl_gguf_type>(element_type), count, self, 0};

        if (!has_children) {
            uint64_t bytes = 0;
            if (!checked_mul(count, size, &bytes))
                reader_.fail("array count", count_at, format("%llu elements overflow a 64-bit size", ull(count)));
            array.position = reader_.offset();
            reader_.take(bytes, "array count", count_at);
            return array;
        }

        const uint64_t min_bytes = element_type == PXL_GGUF_TYPE_STRING ? k_min_string_bytes : k_min_array_bytes;
        if (count > reader_.remaining() / min_bytes)
            reader_.fail(
                "array count", count_at,
                format(
                    "%llu elements of type %s cannot fit in the %llu bytes left before %s (each needs at least %llu)",
                    ull(count), type_label(element_type), ull(reader_.remaining()), reader_.end_name().c_str(),
                    ull(min_bytes)));
        std::vector<gguf_node>& nodes = file_.nodes_;
        if (count > k_max_nodes - nodes.size())
            reader_.fail("array count", count_at, "more than 2^32 metadata values in one file");
        const uint64_t first = nodes.size();
        array.position = first;
        nodes.resize(first + count); // children stay contiguous; grandchildren are appended after them
        where_.depth = depth + 1;
        for (uint64_t i = 0; i < count; ++i) {
            where_.element[depth] = i;
            const gguf_node child = read_value(element_type, element_type_at, first + i, depth + 1);
            nodes[first + i] = child; // assigned after the call: reading may grow (and move) the table
        }
        where_.depth = depth;
        return array;
    }

    // A key or tensor name: a length-prefixed string, returned as a view into the file.
    std::string_view read_name(const char* field) {
        const uint64_t at = reader_.offset();
        const uint64_t length = reader_.read<uint64_t>(field);
        const char* text = reinterpret_cast<const char*>(reader_.take(length, field, at));
        const std::string_view name(text, static_cast<size_t>(length));
        // The ABI hands names out NUL-terminated; an embedded NUL would make two names look alike.
        if (name.find('\0') != std::string_view::npos) reader_.fail(field, at, "contains a NUL byte");
        return name;
    }

    void read_tensor_infos() {
        where_.part = parse_location::section::tensors;
        file_.tensors_.reserve(tensor_count_);
        file_.tensor_index_.reserve(tensor_count_);
        offset_fields_.reserve(tensor_count_);
        for (uint64_t i = 0; i < tensor_count_; ++i) {
            where_.index = i;
            where_.name = {};
            const uint64_t name_at = reader_.offset();
            gguf_tensor& tensor = file_.tensors_.emplace_back();
            tensor.name = read_name("name");
            where_.name = tensor.name;
            const auto [existing, inserted] = file_.tensor_index_.emplace(tensor.name, static_cast<int64_t>(i));
            if (!inserted)
                reader_.fail(
                    "name", name_at,
                    format("duplicate tensor name (tensor %lld has it too)", static_cast<long long>(existing->second)));
            read_shape(tensor);
            read_type(tensor);

            const uint64_t offset_at = reader_.offset();
            tensor.file_offset = reader_.read<uint64_t>("data_offset"); // relative until place_tensor_data
            if (tensor.file_offset % file_.alignment_ != 0)
                reader_.fail("data_offset", offset_at,
                             format("%llu is not a multiple of the alignment (%llu)", ull(tensor.file_offset),
                                    ull(file_.alignment_)));
            offset_fields_.push_back(offset_at);
        }
    }

    void read_shape(gguf_tensor& tensor) {
        const uint64_t n_dims_at = reader_.offset();
        const uint32_t n_dims = reader_.read<uint32_t>("n_dims");
        if (n_dims == 0 || n_dims > PXL_MAX_DIMS)
            reader_.fail("n_dims", n_dims_at, format("%u dimensions; a tensor has 1 to %d", n_dims, PXL_MAX_DIMS));
        tensor.n_dims = static_cast<int32_t>(n_dims);
        uint64_t elements = 1;
        for (uint32_t d = 0; d < PXL_MAX_DIMS; ++d) {
            tensor.dims[d] = 1;
            if (d >= n_dims) continue;
            dim_fields_[d] = reader_.offset();
            const int64_t dim = static_cast<int64_t>(reader_.read<uint64_t>(k_dim_fields[d]));
            // llama.cpp accepts empty (zero-size) tensors; we reject them, as our writer does: every
            // tensor then owns at least one byte inside the file, which keeps the overlap check simple.
            if (dim <= 0)
                reader_.fail(k_dim_fields[d], dim_fields_[d],
                             format("%lld: every dimension must be at least 1", static_cast<long long>(dim)));
            if (!checked_mul(elements, static_cast<uint64_t>(dim), &elements) ||
                elements > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                reader_.fail(k_dim_fields[d], dim_fields_[d], "the product of the dimensions overflows int64");
            tensor.dims[d] = dim;
        }
        tensor.element_count = elements;
    }

    void read_type(gguf_tensor& tensor) {
        const uint64_t type_at = reader_.offset();
        const uint32_t type = reader_.read<uint32_t>("type");
        const tensor_type_traits* traits = type <= static_cast<uint32_t>(std::numeric_limits<int32_t>::max())
                                               ? find_tensor_type(static_cast<int32_t>(type))
                                               : nullptr;
        if (traits == nullptr) reader_.fail("type", type_at, format("unknown tensor type %u", type));
        tensor.type = static_cast<int32_t>(type);
        if (tensor.dims[0] % traits->block_elements != 0)
            reader_.fail("dims[0]", dim_fields_[0],
                         format("%lld is not a multiple of the %s block size (%lld)",
                                static_cast<long long>(tensor.dims[0]), traits->name,
                                static_cast<long long>(traits->block_elements)));
        if (!tensor_bytes(*traits, tensor.element_count, &tensor.byte_size))
            reader_.fail("type", type_at, "the tensor's byte size overflows 64 bits");
    }

    // Tensor data starts at the first multiple of the alignment after the tensor table; every
    // tensor must lie inside the file and no two may share a byte.
    void place_tensor_data() {
        const uint64_t table_end = reader_.offset();
        uint64_t data_offset = 0;
        if (!checked_add(table_end, file_.alignment_ - 1, &data_offset))
            reader_.fail("data section", table_end, "the aligned start overflows 64 bits");
        file_.data_offset_ = data_offset / file_.alignment_ * file_.alignment_;

        const uint64_t file_size = file_.bytes_.size();
        std::vector<gguf_tensor>& tensors = file_.tensors_;
        for (size_t i = 0; i < tensors.size(); ++i) {
            gguf_tensor& tensor = tensors[i];
            locate_tensor(i);
            uint64_t start = 0, end = 0;
            if (!checked_add(file_.data_offset_, tensor.file_offset, &start) ||
                !checked_add(start, tensor.byte_size, &end) || end > file_size)
                reader_.fail(
                    "data_offset", offset_fields_[i],
                    format("the data (%llu bytes at relative offset %llu) runs past the end of the file (%llu bytes)",
                           ull(tensor.byte_size), ull(tensor.file_offset), ull(file_size)));
            tensor.file_offset = start;
        }

        std::vector<size_t> order(tensors.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return tensors[a].file_offset < tensors[b].file_offset; });
        for (size_t k = 1; k < order.size(); ++k) {
            const gguf_tensor& before = tensors[order[k - 1]];
            const gguf_tensor& after = tensors[order[k]];
            if (before.file_offset + before.byte_size <= after.file_offset) continue;
            locate_tensor(order[k]);
            reader_.fail("data_offset", offset_fields_[order[k]],
                         format("the data at [%llu, %llu) overlaps tensor %llu ('%s') at [%llu, %llu)",
                                ull(after.file_offset), ull(after.file_offset + after.byte_size), ull(order[k - 1]),
                                printable(before.name).c_str(), ull(before.file_offset),
                                ull(before.file_offset + before.byte_size)));
        }
    }

    void locate_tensor(size_t index) {
        where_.index = index;
        where_.name = file_.tensors_[index].name;
    }

    gguf_file& file_;
    parse_location where_;
    byte_reader reader_; // after where_, which it refers to
    uint64_t tensor_count_ = 0;
    uint64_t kv_count_ = 0;
    uint64_t dim_fields_[PXL_MAX_DIMS] = {}; // offsets of the current tensor's dims, for messages
    std::vector<uint64_t> offset_fields_;    // offset of each tensor's data_offset field, for messages
};

gguf_file::gguf_file(file_mapping bytes, const gguf_open_options& options)
    : bytes_(std::move(bytes)), serial_(next_serial()) {
    parser(*this, options.max_metadata_bytes).run();
}

int64_t gguf_file::find_key(std::string_view key) const {
    const auto found = key_index_.find(key);
    return found == key_index_.end() ? -1 : found->second;
}

int64_t gguf_file::find_tensor(std::string_view name) const {
    const auto found = tensor_index_.find(name);
    return found == tensor_index_.end() ? -1 : found->second;
}

const gguf_node* gguf_file::find_array(uint64_t array_id) const {
    if ((array_id >> 32) != serial_) return nullptr;
    const uint64_t index = array_id & 0xffffffffu;
    if (index >= nodes_.size() || nodes_[index].type != PXL_GGUF_TYPE_ARRAY) return nullptr;
    return &nodes_[index];
}

gguf_node gguf_file::element(const gguf_node& array, uint64_t index) const {
    if (array.element_type == PXL_GGUF_TYPE_STRING || array.element_type == PXL_GGUF_TYPE_ARRAY)
        return nodes_[array.position + index];
    const uint64_t size = gguf_scalar_size(array.element_type);
    uint64_t bits = 0;
    std::memcpy(&bits, bytes_.data() + array.position + index * size, static_cast<size_t>(size));
    return {array.element_type, PXL_GGUF_TYPE_UINT8, 1, bits, 0};
}

} // namespace pxl
