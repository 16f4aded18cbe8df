// SHA-256 against the FIPS 180-4 example vectors.
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
