// A bounds-checked little-endian cursor over untrusted bytes. Every read checks the remaining length
// before touching memory; a failed check throws INVALID_FORMAT naming the field, its byte offset and
// where the reader was, so a hostile file gets described instead of crashing the host.
#pragma once

#include "core/error.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

namespace pxl {

// Says where a reader is ("gguf: tensor 3 ('blk.0.attn_q.weight')"). Only called when a read fails,
// so the reader can keep its position cheaply (indices, views) and render text on demand.
class read_context {
public:
    virtual std::string describe() const = 0;

protected:
    ~read_context() = default;
};

class byte_reader {
public:
    // Reads bytes [0, limit) of `data` (which holds `size` bytes). A limit below the size is a policy
    // bound (max_metadata_bytes) and is reported as such, not as truncation.
    byte_reader(const uint8_t* data, uint64_t size, uint64_t limit, const read_context& where)
        : data_(data), size_(size), limit_(limit < size ? limit : size), where_(where) {}

    uint64_t offset() const { return offset_; }
    uint64_t remaining() const { return limit_ - offset_; }

    template <class T>
    T read(const char* field) {
        static_assert(std::is_trivially_copyable_v<T>);
        T value;
        std::memcpy(&value, take(sizeof(T), field, offset_), sizeof(T));
        return value;
    }

    // Returns the next `count` bytes and moves past them. `field_at` is the offset of the field that
    // declared the count (a string's length, say), so a bad length is reported where it was read.
    const uint8_t* take(uint64_t count, const char* field, uint64_t field_at) {
        if (count > remaining()) fail_past_end(count, field, field_at);
        const uint8_t* bytes = data_ + offset_;
        offset_ += count;
        return bytes;
    }

    [[noreturn]] void fail(const char* field, uint64_t at, const std::string& problem) const;

    // What remaining() runs up to, for messages: "the end of the file" or "max_metadata_bytes (N)".
    std::string end_name() const;

private:
    [[noreturn]] void fail_past_end(uint64_t count, const char* field, uint64_t field_at) const;

    const uint8_t* data_;
    uint64_t size_;
    uint64_t limit_;
    uint64_t offset_ = 0;
    const read_context& where_;
};

} // namespace pxl
