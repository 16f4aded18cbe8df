// SHA-256 against the FIPS 180-4 example vectors.
#include "cpu/cpu_features.h"
#include "image/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace {

std::string hex_of(const std::string& text) {
    pxl::sha256 hash;
    hash.update(text.data(), text.size());
    return hash.finish_hex();
}

TEST(Sha256, MatchesTheStandardVectors) {
    EXPECT_EQ(hex_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(hex_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(hex_of(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PiecewiseUpdatesEqualOneUpdate) {
    const std::string text(1000, 'x');
    for (size_t piece : {1u, 3u, 63u, 64u, 65u, 200u}) {
        pxl::sha256 hash;
        for (size_t at = 0; at < text.size(); at += piece) hash.update(text.data() + at, std::min(piece, text.size() - at));
        EXPECT_EQ(hash.finish_hex(), hex_of(text)) << piece;
    }
}

} // namespace

namespace {

// The SHA-extension compression against the portable one, on lengths around block boundaries.
TEST(Sha256, ShaExtensionsMatchThePortableVersion) {
    if (pxl::sha256_blocks_sha_extensions == nullptr || !pxl::cpu::has_sha_extensions())
        GTEST_SKIP() << "this CPU has no SHA extensions";
    std::string text;
    uint32_t state = 7;
    for (int i = 0; i < 5000; ++i) {
        state = state * 1103515245u + 12345u;
        text += static_cast<char>(state >> 24);
    }
    for (size_t length : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 127u, 128u, 129u, 1000u, 4999u, 5000u}) {
        pxl::sha256 portable(pxl::sha256_blocks_portable);
        pxl::sha256 fast(pxl::sha256_blocks_sha_extensions);
        portable.update(text.data(), length);
        fast.update(text.data(), length);
        EXPECT_EQ(fast.finish_hex(), portable.finish_hex()) << length;
    }
}

} // namespace
