// The three ways a GGUF's bytes are held: a memory map, a read into an aligned buffer, a copy.
#include "format/captured_error.h"
#include "format/gguf_bytes.h"

#include "format/file_mapping.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

using pxl::file_mapping;
using pxl_test::capture_error;
using pxl_test::scratch_dir;

std::vector<uint8_t> bytes_of(const file_mapping& mapping) {
    return std::vector<uint8_t>(mapping.data(), mapping.data() + mapping.size());
}

TEST(FileMapping, MappingAndReadingGiveTheFileBytes) {
    scratch_dir dir;
    const std::string path = dir.file("data.bin");
    std::vector<uint8_t> bytes(10000);
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7);
    pxl_test::write_file(path, bytes);
    EXPECT_EQ(bytes_of(file_mapping::map_file(path)), bytes);
    const file_mapping read = file_mapping::read_file(path);
    EXPECT_EQ(bytes_of(read), bytes);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(read.data()) % file_mapping::k_buffer_alignment, 0u);
}

TEST(FileMapping, ACopyOfMemoryIsAlignedAndIndependent) {
    std::vector<uint8_t> bytes = {1, 2, 3};
    const file_mapping copy = file_mapping::copy_memory(bytes.data(), bytes.size());
    bytes[0] = 9;
    EXPECT_EQ(bytes_of(copy), (std::vector<uint8_t>{1, 2, 3}));
    EXPECT_EQ(reinterpret_cast<uintptr_t>(copy.data()) % file_mapping::k_buffer_alignment, 0u);
}

TEST(FileMapping, AnEmptyFileHasNoBytesButAValidPointer) {
    scratch_dir dir;
    const std::string path = dir.file("empty.bin");
    pxl_test::write_file(path, {});
    for (const file_mapping& mapping : {file_mapping::map_file(path), file_mapping::read_file(path)}) {
        EXPECT_EQ(mapping.size(), 0u);
        EXPECT_NE(mapping.data(), nullptr);
    }
}

TEST(FileMapping, AMissingFileIsAnIoErrorNamingThePath) {
    scratch_dir dir;
    const std::string path = dir.file("missing.gguf");
    EXPECT_ERROR(capture_error([&] { file_mapping::map_file(path); }), PXL_STATUS_IO_ERROR, "'" + path + "'",
                 "No such file or directory");
    EXPECT_ERROR(capture_error([&] { file_mapping::read_file(path); }), PXL_STATUS_IO_ERROR, path);
}

TEST(FileMapping, AFolderIsAnIoError) {
    scratch_dir dir;
    EXPECT_ERROR(capture_error([&] { file_mapping::map_file(dir.file("")); }), PXL_STATUS_IO_ERROR,
                 "not a regular file");
}

TEST(FileMapping, MovingHandsOverTheBytes) {
    const uint8_t bytes[] = {4, 5};
    file_mapping first = file_mapping::copy_memory(bytes, 2);
    file_mapping second = std::move(first);
    EXPECT_EQ(bytes_of(second), (std::vector<uint8_t>{4, 5}));
    EXPECT_EQ(first.size(), 0u); // NOLINT(bugprone-use-after-move): the moved-from state is defined
}

} // namespace
