#include "format/file_mapping.h"

#include "core/error.h"

#include <cstdint>
#include <cstring>
#include <new>
#include <system_error>
#include <utility>

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#else
#include <cerrno>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace pxl {

namespace {

aligned_buffer allocate_buffer(uint64_t size) {
    if constexpr (sizeof(size_t) < sizeof(uint64_t)) {
        if (size > static_cast<uint64_t>(SIZE_MAX)) throw std::bad_alloc();
    }
    return aligned_buffer(static_cast<size_t>(size));
}

#ifdef _WIN32

[[noreturn]] void fail_io(const char* what, const std::string& path) {
    const std::string reason = std::system_category().message(static_cast<int>(GetLastError()));
    fail(PXL_STATUS_IO_ERROR, "gguf: cannot %s '%s': %s", what, path.c_str(), reason.c_str());
}

// The path is UTF-8 (pixellm.h); Windows wants UTF-16 to reach every file name.
std::wstring widen(const std::string& path) {
    const int length = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path.c_str(), -1, nullptr, 0);
    if (length <= 0) fail(PXL_STATUS_IO_ERROR, "gguf: cannot open '%s': the path is not valid UTF-8", path.c_str());
    std::wstring wide(static_cast<size_t>(length), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, path.c_str(), -1, wide.data(), length);
    return wide;
}

class os_file {
public:
    explicit os_file(const std::string& path) : path_(path) {
        handle_ = CreateFileW(widen(path).c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
        if (handle_ == INVALID_HANDLE_VALUE) fail_io("open", path_);
        LARGE_INTEGER size;
        if (!GetFileSizeEx(handle_, &size)) fail_io("stat", path_);
        size_ = static_cast<uint64_t>(size.QuadPart);
    }
    ~os_file() { CloseHandle(handle_); }
    os_file(const os_file&) = delete;
    os_file& operator=(const os_file&) = delete;

    uint64_t size() const { return size_; }

    const uint8_t* map() {
        HANDLE mapping = CreateFileMappingW(handle_, nullptr, PAGE_READONLY, 0, 0, nullptr);
        if (mapping == nullptr) fail_io("map", path_);
        void* view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
        CloseHandle(mapping); // the view keeps the mapping alive
        if (view == nullptr) fail_io("map", path_);
        return static_cast<const uint8_t*>(view);
    }

    void read_all(uint8_t* dst) {
        for (uint64_t done = 0; done < size_;) {
            const DWORD chunk = static_cast<DWORD>(size_ - done < (1u << 30) ? size_ - done : (1u << 30));
            DWORD got = 0;
            if (!ReadFile(handle_, dst + done, chunk, &got, nullptr)) fail_io("read", path_);
            if (got == 0)
                fail(PXL_STATUS_IO_ERROR, "gguf: cannot read '%s': the file shrank while reading", path_.c_str());
            done += got;
        }
    }

    static void unmap(const uint8_t* data, uint64_t) noexcept { UnmapViewOfFile(data); }

private:
    std::string path_;
    HANDLE handle_;
    uint64_t size_ = 0;
};

#else

[[noreturn]] void fail_io(const char* what, const std::string& path) {
    const std::string reason = std::generic_category().message(errno);
    fail(PXL_STATUS_IO_ERROR, "gguf: cannot %s '%s': %s", what, path.c_str(), reason.c_str());
}

class os_file {
public:
    explicit os_file(const std::string& path) : path_(path) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) fail_io("open", path_);
        struct stat info;
        if (::fstat(fd_, &info) != 0) fail_io("stat", path_);
        // A directory opens fine on POSIX; mapping or reading it would fail later with a vaguer reason.
        if (!S_ISREG(info.st_mode))
            fail(PXL_STATUS_IO_ERROR, "gguf: cannot open '%s': not a regular file", path_.c_str());
        size_ = static_cast<uint64_t>(info.st_size);
    }
    ~os_file() { ::close(fd_); }
    os_file(const os_file&) = delete;
    os_file& operator=(const os_file&) = delete;

    uint64_t size() const { return size_; }

    // The map outlives the descriptor. If another process truncates the file while it is mapped, the
    // kernel raises SIGBUS on access: that is the documented price of mmap, and use_mmap=0 avoids it.
    const uint8_t* map() {
        if constexpr (sizeof(size_t) < sizeof(uint64_t)) {
            if (size_ > static_cast<uint64_t>(SIZE_MAX))
                fail(PXL_STATUS_IO_ERROR, "gguf: cannot map '%s': too large for this process", path_.c_str());
        }
        void* view = ::mmap(nullptr, static_cast<size_t>(size_), PROT_READ, MAP_PRIVATE, fd_, 0);
        if (view == MAP_FAILED) fail_io("map", path_);
        return static_cast<const uint8_t*>(view);
    }

    void read_all(uint8_t* dst) {
        for (uint64_t done = 0; done < size_;) {
            const uint64_t left = size_ - done;
            const ssize_t got = ::read(fd_, dst + done, static_cast<size_t>(left < (1u << 30) ? left : (1u << 30)));
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) fail_io("read", path_);
            if (got == 0)
                fail(PXL_STATUS_IO_ERROR, "gguf: cannot read '%s': the file shrank while reading", path_.c_str());
            done += static_cast<uint64_t>(got);
        }
    }

    static void unmap(const uint8_t* data, uint64_t size) noexcept {
        ::munmap(const_cast<uint8_t*>(data), static_cast<size_t>(size));
    }

private:
    std::string path_;
    int fd_ = -1;
    uint64_t size_ = 0;
};

#endif

} // namespace

file_mapping file_mapping::map_file(const std::string& path) {
    os_file file(path);
    // Mapping zero bytes fails on every platform; an empty file is simply empty.
    if (file.size() == 0) return file_mapping();
    return file_mapping(file.map(), file.size());
}

file_mapping file_mapping::read_file(const std::string& path) {
    os_file file(path);
    if (file.size() == 0) return file_mapping();
    aligned_buffer buffer = allocate_buffer(file.size());
    file.read_all(buffer.data_as<uint8_t>());
    return file_mapping(std::move(buffer));
}

file_mapping file_mapping::copy_memory(const void* data, uint64_t size) {
    if (size == 0) return file_mapping();
    aligned_buffer buffer = allocate_buffer(size);
    std::memcpy(buffer.data(), data, static_cast<size_t>(size));
    return file_mapping(std::move(buffer));
}

file_mapping::file_mapping(aligned_buffer heap)
    : data_(heap.data_as<uint8_t>()), size_(heap.size()), heap_(std::move(heap)) {}

file_mapping::file_mapping(file_mapping&& other) noexcept
    : data_(std::exchange(other.data_, k_empty)), size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, false)), heap_(std::move(other.heap_)) {}

file_mapping& file_mapping::operator=(file_mapping&& other) noexcept {
    if (this != &other) {
        unmap();
        data_ = std::exchange(other.data_, k_empty);
        size_ = std::exchange(other.size_, 0);
        mapped_ = std::exchange(other.mapped_, false);
        heap_ = std::move(other.heap_);
    }
    return *this;
}

void file_mapping::discard(const uint8_t* data, uint64_t size) noexcept {
#ifndef _WIN32
    // madvise(DONTNEED) drops the pages: a private file mapping re-reads them from the file and a
    // heap copy reads zeros if touched again, which the caller has promised not to do.
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + page - 1) / page * page;
    const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + size) / page * page;
    if (size_ > 0 && end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
#else
    (void)data;
    (void)size;
#endif
}

void file_mapping::unmap() noexcept {
    if (mapped_) os_file::unmap(data_, size_);
    mapped_ = false;
}

} // namespace pxl
