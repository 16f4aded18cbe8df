// An owned block of uninitialized memory with a guaranteed alignment (64 bytes by default: a cache
// line, and the width of an AVX-512 register). Movable, not copyable.
#pragma once

#include "core/error.h"

#include <cstddef>
#include <new>
#include <utility>

namespace pxl {

class aligned_buffer {
public:
    static constexpr size_t k_default_alignment = 64;

    aligned_buffer() = default;

    // `bytes` may be 0 (then data() is nullptr). The allocation is padded to a multiple of the
    // alignment, so a kernel may load a whole vector at the last aligned address. Throws
    // std::bad_alloc when memory is short (the C ABI guard reports OUT_OF_MEMORY) and
    // INVALID_ARGUMENT for an alignment that is not a power of two.
    explicit aligned_buffer(size_t bytes, size_t alignment = k_default_alignment) : size_(bytes), alignment_(alignment) {
        PXL_CHECK_ARG(alignment != 0 && (alignment & (alignment - 1)) == 0,
                      "aligned_buffer: alignment %zu is not a power of two", alignment);
        if (bytes == 0) return;
        if (bytes > static_cast<size_t>(-1) - (alignment - 1)) throw std::bad_alloc();
        const size_t padded = (bytes + alignment - 1) & ~(alignment - 1);
        data_ = ::operator new(padded, std::align_val_t{alignment});
    }

    ~aligned_buffer() { release(); }

    aligned_buffer(aligned_buffer&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
          alignment_(std::exchange(other.alignment_, k_default_alignment)) {}

    aligned_buffer& operator=(aligned_buffer&& other) noexcept {
        if (this != &other) {
            release();
            data_ = std::exchange(other.data_, nullptr);
            size_ = std::exchange(other.size_, 0);
            alignment_ = std::exchange(other.alignment_, k_default_alignment);
        }
        return *this;
    }

    aligned_buffer(const aligned_buffer&) = delete;
    aligned_buffer& operator=(const aligned_buffer&) = delete;

    void* data() { return data_; }
    const void* data() const { return data_; }
    template <class T>
    T* data_as() { return static_cast<T*>(data_); }
    template <class T>
    const T* data_as() const { return static_cast<const T*>(data_); }

    size_t size() const { return size_; }
    size_t alignment() const { return alignment_; }
    bool empty() const { return size_ == 0; }

private:
    void release() noexcept {
        if (data_ != nullptr) ::operator delete(data_, std::align_val_t{alignment_});
        data_ = nullptr;
        size_ = 0;
    }

    void* data_ = nullptr;
    size_t size_ = 0;
    size_t alignment_ = k_default_alignment;
};

} // namespace pxl
