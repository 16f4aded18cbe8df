#include "image/sha256.h"


#include <cstring>

namespace pxl {

sha256::sha256(sha256_blocks_fn blocks)
    : state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19},
      blocks_(blocks != nullptr ? blocks : sha256_blocks_best()) {}

void sha256::update(const void* data, size_t size) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    total_bytes_ += size;
    while (size > 0) {
        if (buffered_ == 0 && size >= 64) {
            const size_t blocks = size / 64;
            blocks_(state_, bytes, blocks);
            bytes += 64 * blocks;
            size -= 64 * blocks;
            continue;
        }
        const size_t take = size < 64 - buffered_ ? size : 64 - buffered_;
        std::memcpy(buffer_ + buffered_, bytes, take);
        buffered_ += take;
        bytes += take;
        size -= take;
        if (buffered_ == 64) {
            blocks_(state_, buffer_, 1);
            buffered_ = 0;
        }
    }
}

std::array<uint8_t, 32> sha256::finish() {
    const uint64_t bit_length = total_bytes_ * 8;
    const uint8_t pad = 0x80;
    update(&pad, 1);
    const uint8_t zero = 0;
    while (buffered_ != 56) update(&zero, 1);
    uint8_t length[8];
    for (int i = 0; i < 8; ++i) length[i] = static_cast<uint8_t>(bit_length >> (56 - 8 * i));
    update(length, 8);
    std::array<uint8_t, 32> digest{};
    for (int i = 0; i < 8; ++i)
        for (int j = 0; j < 4; ++j) digest[4 * i + j] = static_cast<uint8_t>(state_[i] >> (24 - 8 * j));
    return digest;
}

std::string sha256::finish_hex() {
    static const char k_hex[] = "0123456789abcdef";
    const std::array<uint8_t, 32> digest = finish();
    std::string text(64, '0');
    for (size_t i = 0; i < digest.size(); ++i) {
        text[2 * i] = k_hex[digest[i] >> 4];
        text[2 * i + 1] = k_hex[digest[i] & 15];
    }
    return text;
}

} // namespace pxl
