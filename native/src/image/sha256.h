// SHA-256 (FIPS 180-4), used for the preprocessing cache key: a strong hash, so two different images
// never share cached vision features by accident.
#pragma once

#include "cpu/sha256_blocks.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace pxl {

class sha256 {
public:
    // `blocks` picks the compression function (tests compare them); nullptr: sha256_blocks_best().
    explicit sha256(sha256_blocks_fn blocks = nullptr);
    void update(const void* data, size_t size);
    // Finishes the hash; the object must not be updated afterwards.
    std::array<uint8_t, 32> finish();
    // finish() as 64 lowercase hex digits.
    std::string finish_hex();

private:
    uint32_t state_[8];
    uint8_t buffer_[64];
    size_t buffered_ = 0;
    uint64_t total_bytes_ = 0;
    sha256_blocks_fn blocks_;
};

} // namespace pxl
