// The bytes of a file held for the life of a parsed GGUF: a read-only memory map, or a copy in an
// aligned heap buffer (for file systems without mmap, and for images handed over from memory).
#pragma once

#include "core/aligned_buffer.h"

#include <cstdint>
#include <string>

namespace pxl {

class file_mapping {
public:
    // Maps the file read-only. IO_ERROR names the path and the system's reason.
    static file_mapping map_file(const std::string& path);
    // Reads the whole file into an aligned buffer.
    static file_mapping read_file(const std::string& path);
    // Copies `size` bytes into an aligned buffer, so the caller's memory is borrowed for the call only.
    static file_mapping copy_memory(const void* data, uint64_t size);

    file_mapping(file_mapping&& other) noexcept;
    file_mapping& operator=(file_mapping&& other) noexcept;
    file_mapping(const file_mapping&) = delete;
    file_mapping& operator=(const file_mapping&) = delete;
    ~file_mapping() { unmap(); }

    // Never null (an empty file points at a static byte), so offsets can always be applied to it.
    const uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }

    // Gives the memory of [data, data + size) back to the system: the caller promises never to read
    // those bytes again (a weight that was copied into another layout). Only whole pages inside the
    // range are released; on Windows, and for the static empty file, nothing happens. The range must
    // lie inside the file.
    void discard(const uint8_t* data, uint64_t size) noexcept;

    // Heap copies start on a cache line, so aligned tensor offsets give aligned pointers as with mmap.
    static constexpr uint64_t k_buffer_alignment = aligned_buffer::k_default_alignment;

private:
    file_mapping() = default; // empty
    file_mapping(const uint8_t* mapped, uint64_t size) : data_(mapped), size_(size), mapped_(true) {}
    explicit file_mapping(aligned_buffer heap);
    void unmap() noexcept;

    const uint8_t* data_ = k_empty;
    uint64_t size_ = 0;
    bool mapped_ = false;
    aligned_buffer heap_; // owns data_ for read and copied files

    static constexpr uint8_t k_empty[1] = {0};
};

} // namespace pxl
