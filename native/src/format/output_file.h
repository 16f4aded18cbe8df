// A file written beside its destination and renamed over it once complete: readers never see a
// half-written file, an existing file is replaced atomically, and an abandoned write leaves nothing.
#pragma once

#include <cstdint>
#include <string>

namespace pxl {

class output_file {
public:
    // Creates "<path>.partial-<pid>-<n>" (exclusively, so two writers never share one).
    explicit output_file(std::string path);
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;
    // Deletes the temporary file unless commit() succeeded.
    ~output_file();

    void write(const void* data, uint64_t size);
    void write_zeros(uint64_t size);
    uint64_t position() const { return position_; }
    const std::string& temp_path() const { return temp_path_; }

    // Flushes to disk (so the rename can only ever expose complete data), closes, renames over path.
    void commit();

private:
    void close_quietly() noexcept;

    std::string path_;
    std::string temp_path_;
    intptr_t handle_; // a POSIX descriptor or a Win32 HANDLE
    bool open_ = false;
    bool committed_ = false;
    uint64_t position_ = 0;
};

} // namespace pxl
