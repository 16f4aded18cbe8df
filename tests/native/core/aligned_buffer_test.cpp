// core/aligned_buffer.h.
#include "core/aligned_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace pxl::test {
namespace {

static_assert(!std::is_copy_constructible_v<aligned_buffer>);
static_assert(!std::is_copy_assignable_v<aligned_buffer>);
static_assert(std::is_nothrow_move_constructible_v<aligned_buffer>);
static_assert(std::is_nothrow_move_assignable_v<aligned_buffer>);

bool aligned_to(const void* p, size_t alignment) { return reinterpret_cast<uintptr_t>(p) % alignment == 0; }

TEST(aligned_buffer, allocates_aligned_writable_memory) {
    for (const size_t bytes : {1, 63, 64, 65, 4096, 1000003}) {
        aligned_buffer buffer(bytes);
        ASSERT_NE(buffer.data(), nullptr);
        EXPECT_EQ(buffer.size(), bytes);
        EXPECT_EQ(buffer.alignment(), 64u);
        EXPECT_TRUE(aligned_to(buffer.data(), 64));
        std::memset(buffer.data(), 0x5a, bytes);
    }
    for (const size_t alignment : {1, 16, 128, 4096}) {
        aligned_buffer buffer(100, alignment);
        EXPECT_TRUE(aligned_to(buffer.data(), alignment)) << alignment;
        EXPECT_EQ(buffer.alignment(), alignment);
    }
}

TEST(aligned_buffer, padding_lets_a_whole_last_vector_be_loaded) {
    aligned_buffer buffer(65);
    std::memset(buffer.data(), 0, 128);  // ASan would flag this if the padding were missing
    SUCCEED();
}

TEST(aligned_buffer, zero_bytes_is_empty) {
    aligned_buffer buffer(0);
    EXPECT_EQ(buffer.data(), nullptr);
    EXPECT_TRUE(buffer.empty());
    aligned_buffer default_constructed;
    EXPECT_EQ(default_constructed.data(), nullptr);
    EXPECT_EQ(default_constructed.size(), 0u);
}

TEST(aligned_buffer, moves_transfer_ownership) {
    aligned_buffer a(256, 128);
    void* const memory = a.data();
    aligned_buffer b(std::move(a));
    EXPECT_EQ(b.data(), memory);
    EXPECT_EQ(b.size(), 256u);
    EXPECT_EQ(b.alignment(), 128u);
    EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state is specified
    EXPECT_EQ(a.size(), 0u);

    aligned_buffer c(32);
    c = std::move(b);
    EXPECT_EQ(c.data(), memory);
    EXPECT_EQ(c.alignment(), 128u);
    EXPECT_EQ(b.data(), nullptr);  // NOLINT(bugprone-use-after-move)
    c = aligned_buffer();
    EXPECT_EQ(c.data(), nullptr);
}

TEST(aligned_buffer, typed_access) {
    aligned_buffer buffer(16 * sizeof(float));
    float* values = buffer.data_as<float>();
    for (int i = 0; i < 16; ++i) values[i] = static_cast<float>(i);
    const aligned_buffer& view = buffer;
    EXPECT_EQ(view.data_as<float>()[15], 15.0f);
}

TEST(aligned_buffer, rejects_an_alignment_that_is_not_a_power_of_two) {
    for (const size_t alignment : {0, 3, 48}) {
        try {
            aligned_buffer buffer(64, alignment);
            FAIL() << "no exception for " << alignment;
        } catch (const pxl::error& e) {
            EXPECT_EQ(e.status(), PXL_STATUS_INVALID_ARGUMENT);
        }
    }
}

TEST(aligned_buffer, impossible_size_throws_bad_alloc) {
    // Rounding up to the alignment would wrap around; caught before the allocator is asked.
    EXPECT_THROW(aligned_buffer(static_cast<size_t>(-1) - 10), std::bad_alloc);
}

} // namespace
} // namespace pxl::test
