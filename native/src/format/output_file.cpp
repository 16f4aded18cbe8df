#include "format/output_file.h"

#include "core/error.h"

#include <atomic>
#include <cstring>
#include <system_error>

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
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>
#endif

namespace pxl {

namespace {

std::atomic<uint64_t> g_temp_counter{0};

constexpr uint64_t k_max_chunk = uint64_t{1} << 30; // one system call's worth; both APIs take less than 64 bits

#ifdef _WIN32

unsigned long process_id() { return GetCurrentProcessId(); }

[[noreturn]] void fail_io(const char* what, const std::string& path) {
    const std::string reason = std::system_category().message(static_cast<int>(GetLastError()));
    fail(PXL_STATUS_IO_ERROR, "gguf writer: cannot %s '%s': %s", what, path.c_str(), reason.c_str());
}

std::wstring widen(const std::string& path) {
    const int length = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path.c_str(), -1, nullptr, 0);
    if (length <= 0) fail(PXL_STATUS_IO_ERROR, "gguf writer: '%s' is not valid UTF-8", path.c_str());
    std::wstring wide(static_cast<size_t>(length), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, path.c_str(), -1, wide.data(), length);
    return wide;
}

HANDLE as_handle(intptr_t handle) { return reinterpret_cast<HANDLE>(handle); }

#else

unsigned long process_id() { return static_cast<unsigned long>(::getpid()); }

[[noreturn]] void fail_io(const char* what, const std::string& path) {
    const std::string reason = std::generic_category().message(errno);
    fail(PXL_STATUS_IO_ERROR, "gguf writer: cannot %s '%s': %s", what, path.c_str(), reason.c_str());
}

#endif

} // namespace

output_file::output_file(std::string path) : path_(std::move(path)) {
    temp_path_ = format("%s.partial-%lu-%llu", path_.c_str(), process_id(),
                        static_cast<unsigned long long>(g_temp_counter.fetch_add(1)));
#ifdef _WIN32
    const HANDLE handle =
        CreateFileW(widen(temp_path_).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (handle == INVALID_HANDLE_VALUE) fail_io("create", temp_path_);
    handle_ = reinterpret_cast<intptr_t>(handle);
#else
    const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) fail_io("create", temp_path_);
    handle_ = fd;
#endif
    open_ = true;
}

output_file::~output_file() {
    if (committed_) return;
    close_quietly();
#ifdef _WIN32
    try {
        DeleteFileW(widen(temp_path_).c_str());
    } catch (...) { // widen() succeeded in the constructor; only memory could run out here
    }
#else
    std::remove(temp_path_.c_str());
#endif
}

void output_file::write(const void* data, uint64_t size) {
    const char* bytes = static_cast<const char*>(data);
    for (uint64_t done = 0; done < size;) {
        const uint64_t chunk = size - done < k_max_chunk ? size - done : k_max_chunk;
#ifdef _WIN32
        DWORD wrote = 0;
        if (!WriteFile(as_handle(handle_), bytes + done, static_cast<DWORD>(chunk), &wrote, nullptr))
            fail_io("write", temp_path_);
        done += wrote;
#else
        const ssize_t wrote = ::write(static_cast<int>(handle_), bytes + done, static_cast<size_t>(chunk));
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote < 0) fail_io("write", temp_path_);
        done += static_cast<uint64_t>(wrote);
#endif
    }
    position_ += size;
}

void output_file::write_zeros(uint64_t size) {
    static const char zeros[4096] = {};
    while (size > 0) {
        const uint64_t chunk = size < sizeof zeros ? size : sizeof zeros;
        write(zeros, chunk);
        size -= chunk;
    }
}

void output_file::commit() {
#ifdef _WIN32
    if (!FlushFileBuffers(as_handle(handle_))) fail_io("flush", temp_path_);
    open_ = false;
    if (!CloseHandle(as_handle(handle_))) fail_io("close", temp_path_);
    if (!MoveFileExW(widen(temp_path_).c_str(), widen(path_).c_str(),
                     MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        fail_io("rename the finished file to", path_);
#else
    if (::fsync(static_cast<int>(handle_)) != 0) fail_io("flush", temp_path_);
    open_ = false;
    if (::close(static_cast<int>(handle_)) != 0) fail_io("close", temp_path_);
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) fail_io("rename the finished file to", path_);
#endif
    committed_ = true;
}

void output_file::close_quietly() noexcept {
    if (!open_) return;
    open_ = false;
#ifdef _WIN32
    CloseHandle(as_handle(handle_));
#else
    ::close(static_cast<int>(handle_));
#endif
}

} // namespace pxl
