// SHA-256 (FIPS 180-4), used for the preprocessing cache key: a strong hash, so two different images
// never share cached vision features by accident.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace pxl {

class sha256 {
public:
    sha256();
    void update(const void* data, size_t size);
    // Finishes the hash; the object must not be updated afterwards.
    std::array<uint8_t, 32> finish();
    // finish() as 64 lowercase hex digits.
    std::string finish_hex();

private:
    void compress(const uint8_t* block);

    uint32_t state_[8];
    uint8_t buffer_[64];
    size_t buffered_ = 0;
    uint64_t total_bytes_ = 0;
};

} // namespace pxl
