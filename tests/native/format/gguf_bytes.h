// Test helpers shared by the format and capi suites: a GGUF byte builder that writes fields one by
// one (so a hostile file is a few lines and every field's offset is known), and a scratch folder.
// Header-only and free of library internals, so ABI tests can use it too.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#ifdef _WIN32
#include <process.h>
#define PXL_TEST_GETPID _getpid
#else
#include <unistd.h>
#define PXL_TEST_GETPID getpid
#endif

namespace pxl_test {

// GGUF metadata type tags and a few tensor types, spelled out so the builder needs no headers.
enum : uint32_t {
    u8_type = 0,
    i8_type,
    u16_type,
    i16_type,
    u32_type,
    i32_type,
    f32_type,
    bool_type,
    string_type,
    array_type,
    u64_type,
    i64_type,
    f64_type
};
enum : uint32_t { f32_tensor = 0, f16_tensor = 1, q4_0_tensor = 2, q8_0_tensor = 8, q4_k_tensor = 12 };

class gguf_bytes {
public:
    gguf_bytes& raw(const void* data, size_t size) {
        const uint8_t* bytes = static_cast<const uint8_t*>(data);
        bytes_.insert(bytes_.end(), bytes, bytes + size);
        return *this;
    }
    gguf_bytes& u8(uint8_t value) { return raw(&value, 1); }
    gguf_bytes& u32(uint32_t value) { return raw(&value, 4); }
    gguf_bytes& u64(uint64_t value) { return raw(&value, 8); }
    gguf_bytes& i64(int64_t value) { return raw(&value, 8); }
    gguf_bytes& f32(float value) { return raw(&value, 4); }
    gguf_bytes& str(std::string_view text) { return u64(text.size()).raw(text.data(), text.size()); }
    gguf_bytes& zeros(size_t count) {
        bytes_.resize(bytes_.size() + count, 0);
        return *this;
    }
    gguf_bytes& pad(size_t alignment) { return zeros((alignment - bytes_.size() % alignment) % alignment); }

    gguf_bytes& header(uint64_t tensor_count, uint64_t kv_count, uint32_t version = 3) {
        return raw("GGUF", 4).u32(version).u64(tensor_count).u64(kv_count);
    }
    gguf_bytes& kv_u32(std::string_view key, uint32_t value) { return str(key).u32(u32_type).u32(value); }
    gguf_bytes& kv_string(std::string_view key, std::string_view value) { return str(key).u32(string_type).str(value); }
    gguf_bytes& tensor(std::string_view name, const std::vector<int64_t>& dims, uint32_t type, uint64_t offset) {
        str(name).u32(static_cast<uint32_t>(dims.size()));
        for (int64_t dim : dims) i64(dim);
        return u32(type).u64(offset);
    }

    // The offset the next field will have.
    uint64_t offset() const { return bytes_.size(); }
    const std::vector<uint8_t>& bytes() const { return bytes_; }
    const uint8_t* data() const { return bytes_.data(); }
    uint64_t size() const { return bytes_.size(); }

private:
    std::vector<uint8_t> bytes_;
};

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A fresh folder per test (tests run as parallel processes), removed with everything in it.
class scratch_dir {
public:
    scratch_dir() {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = std::filesystem::temp_directory_path() / ("pixellm-" + std::string(test->test_suite_name()) + "-" +
                                                          test->name() + "-" + std::to_string(PXL_TEST_GETPID()));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~scratch_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;

    std::string file(const std::string& name) const { return (path_ / name).string(); }
    // Names of everything in the folder, to prove no temporary file was left behind.
    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(path_))
            names.push_back(entry.path().filename().string());
        return names;
    }

private:
    std::filesystem::path path_;
};

inline void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace pxl_test
