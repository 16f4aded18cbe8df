// The GGUF reader on valid, truncated and hostile inputs, parsed from memory through the internal
// class. Each hostile case checks the status and that the message names the field and its offset.
#include "format/captured_error.h"
#include "format/gguf_bytes.h"

#include "format/gguf_file.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

using pxl_test::contains;
using pxl_test::gguf_bytes;
using namespace pxl_test; // type tags

using parse_result = pxl_test::captured_error;

parse_result parse(const std::vector<uint8_t>& bytes, uint64_t max_metadata_bytes = uint64_t{1} << 30) {
    pxl::gguf_open_options options;
    options.max_metadata_bytes = max_metadata_bytes;
    return pxl_test::capture_error(
        [&] { pxl::gguf_file file(pxl::file_mapping::copy_memory(bytes.data(), bytes.size()), options); });
}

std::string at(const char* field, uint64_t offset) {
    return std::string(field) + " at offset " + std::to_string(offset);
}

#define EXPECT_REJECTED(result, ...) EXPECT_ERROR(result, PXL_STATUS_INVALID_FORMAT, __VA_ARGS__)

// A valid v3 file: three pairs (one an array of strings) and three tensors whose data ends exactly at
// the end of the file, so every proper prefix of it is truncated somewhere that matters.
gguf_bytes small_valid_file() {
    gguf_bytes b;
    b.header(3, 3);
    b.kv_string("general.architecture", "llama");
    b.kv_u32("general.alignment", 32);
    b.str("tokenizer.ggml.tokens").u32(array_type).u32(string_type).u64(3).str("<s>").str("a").str("");
    b.tensor("a", {32, 2}, q8_0_tensor, 0); // 68 bytes
    b.tensor("b", {3}, f16_tensor, 96);     // 6 bytes
    b.tensor("c", {8}, f32_tensor, 128);    // 32 bytes
    b.pad(32);
    for (int i = 0; i < 68; ++i) b.u8(static_cast<uint8_t>(i));
    b.pad(32);
    b.zeros(6).pad(32);
    for (int i = 0; i < 8; ++i) b.f32(static_cast<float>(i));
    return b;
}

// One tensor and nothing else; the data section holds `data_bytes` zero bytes.
gguf_bytes one_tensor_file(const std::vector<int64_t>& dims, uint32_t type, uint64_t offset, size_t data_bytes) {
    gguf_bytes b;
    b.header(1, 0).tensor("t", dims, type, offset).pad(32).zeros(data_bytes);
    return b;
}

TEST(GgufReader, ParsesASmallValidFile) {
    const gguf_bytes b = small_valid_file();
    pxl::gguf_file file(pxl::file_mapping::copy_memory(b.data(), b.size()), {});
    EXPECT_EQ(file.version(), 3u);
    EXPECT_EQ(file.alignment(), 32u);
    EXPECT_EQ(file.file_size(), b.size());
    ASSERT_EQ(file.metadata_count(), 3);
    EXPECT_EQ(file.key(0), "general.architecture");
    EXPECT_EQ(file.string(file.value(0)), "llama");
    const int64_t tokens = file.find_key("tokenizer.ggml.tokens");
    ASSERT_EQ(tokens, 2);
    const pxl::gguf_node& array = file.value(tokens);
    EXPECT_EQ(array.element_type, PXL_GGUF_TYPE_STRING);
    ASSERT_EQ(array.count, 3u);
    EXPECT_EQ(file.string(file.element(array, 0)), "<s>");
    EXPECT_EQ(file.string(file.element(array, 2)), "");
    EXPECT_EQ(file.find_key("missing"), -1);

    ASSERT_EQ(file.tensor_count(), 3);
    const pxl::gguf_tensor& a = file.tensor(file.find_tensor("a"));
    EXPECT_EQ(a.n_dims, 2);
    EXPECT_EQ(a.dims[0], 32);
    EXPECT_EQ(a.dims[1], 2);
    EXPECT_EQ(a.element_count, 64u);
    EXPECT_EQ(a.byte_size, 68u);
    EXPECT_EQ(a.file_offset, file.data_offset());
    EXPECT_EQ(file.data_offset() % 32, 0u);
    EXPECT_EQ(file.tensor_data(a)[5], 5);
    EXPECT_EQ(file.tensor(2).file_offset + file.tensor(2).byte_size, b.size());
}

TEST(GgufReader, AcceptsVersion2) {
    gguf_bytes b;
    b.header(0, 1, 2).kv_u32("x", 1);
    EXPECT_EQ(parse(b.bytes()).status, PXL_STATUS_OK) << parse(b.bytes()).message;
}

TEST(GgufReader, RejectsTheValidFileTruncatedAtEveryByteOffset) {
    const std::vector<uint8_t> full = small_valid_file().bytes();
    ASSERT_EQ(parse(full).status, PXL_STATUS_OK) << parse(full).message;
    for (size_t size = 0; size < full.size(); ++size) {
        const parse_result result =
            parse(std::vector<uint8_t>(full.begin(), full.begin() + static_cast<ptrdiff_t>(size)));
        ASSERT_EQ(result.status, PXL_STATUS_INVALID_FORMAT) << "truncated to " << size << " bytes: " << result.message;
        ASSERT_EQ(result.message.rfind("gguf: ", 0), 0u) << result.message;
    }
}

TEST(GgufReader, RejectsAnEmptyFileAtTheMagic) { EXPECT_REJECTED(parse({}), at("header magic", 0), "end of the file"); }

TEST(GgufReader, RejectsBadMagic) {
    gguf_bytes b;
    b.raw("GGML", 4).u32(3).u64(0).u64(0);
    EXPECT_REJECTED(parse(b.bytes()), at("header magic", 0), "47 47 4d 4c");
}

TEST(GgufReader, RejectsVersion1) {
    gguf_bytes b;
    b.header(0, 0, 1);
    EXPECT_REJECTED(parse(b.bytes()), at("header version", 4), "version 1");
}

TEST(GgufReader, RejectsVersion4) {
    gguf_bytes b;
    b.header(0, 0, 4);
    EXPECT_REJECTED(parse(b.bytes()), at("header version", 4), "unsupported version 4");
}

TEST(GgufReader, RecognisesABigEndianFileByItsVersion) {
    gguf_bytes b;
    b.header(0, 0, 0x03000000u);
    EXPECT_REJECTED(parse(b.bytes()), at("version", 4), "big-endian");
}

TEST(GgufReader, RejectsTwoToTheSixtyTensorsBeforeAllocating) {
    gguf_bytes b;
    b.header(uint64_t{1} << 60, 0).zeros(76);
    EXPECT_REJECTED(parse(b.bytes()), at("header tensor_count", 8), "1152921504606846976 tensor infos cannot fit");
}

TEST(GgufReader, RejectsTwoToTheSixtyPairsBeforeAllocating) {
    gguf_bytes b;
    b.header(0, uint64_t{1} << 60).zeros(76);
    EXPECT_REJECTED(parse(b.bytes()), at("header kv_count", 16), "pairs cannot fit");
}

TEST(GgufReader, RejectsAKeyLengthPastTheEnd) {
    gguf_bytes b;
    b.header(0, 1).u64(5000).raw("abc", 3).zeros(10);
    EXPECT_REJECTED(parse(b.bytes()), "kv 0 " + at("key", 24), "needs 5000 bytes", "end of the file");
}

TEST(GgufReader, RejectsAStringValueLengthPastTheEnd) {
    gguf_bytes b;
    b.header(0, 1).str("name").u32(string_type);
    const uint64_t length_at = b.offset();
    b.u64(~uint64_t{0}).raw("xyz", 3);
    EXPECT_REJECTED(parse(b.bytes()), "kv 0 ('name') " + at("string length", length_at), "end of the file");
}

TEST(GgufReader, RejectsANumericArrayCountPastTheEnd) {
    gguf_bytes b;
    b.header(0, 1).str("scores").u32(array_type).u32(f32_type);
    const uint64_t count_at = b.offset();
    b.u64(1000).f32(1.0f).f32(2.0f);
    EXPECT_REJECTED(parse(b.bytes()), "kv 0 ('scores') " + at("array count", count_at), "needs 4000 bytes");
}

TEST(GgufReader, RejectsANumericArrayWhoseByteSizeOverflows) {
    gguf_bytes b;
    b.header(0, 1).str("scores").u32(array_type).u32(u64_type);
    const uint64_t count_at = b.offset();
    b.u64(uint64_t{1} << 62).zeros(16);
    EXPECT_REJECTED(parse(b.bytes()), at("array count", count_at), "overflow");
}

TEST(GgufReader, RejectsAStringArrayCountBeforeAllocatingItsElements) {
    gguf_bytes b;
    b.header(0, 1).str("tokens").u32(array_type).u32(string_type);
    const uint64_t count_at = b.offset();
    b.u64(uint64_t{1} << 60).str("a");
    EXPECT_REJECTED(parse(b.bytes()), "kv 0 ('tokens') " + at("array count", count_at), "cannot fit");
}

TEST(GgufReader, NamesTheArrayElementWhoseStringIsTruncated) {
    gguf_bytes b;
    b.header(0, 1).str("tokens").u32(array_type).u32(string_type).u64(3).str("a").str("b");
    const uint64_t length_at = b.offset();
    b.u64(100).raw("c", 1).zeros(40);
    EXPECT_REJECTED(parse(b.bytes()), "kv 0 ('tokens') element [2] " + at("string length", length_at));
}

TEST(GgufReader, RejectsAnUnknownValueType) {
    gguf_bytes b;
    b.header(0, 1).str("k");
    const uint64_t type_at = b.offset();
    b.u32(13).u64(0);
    EXPECT_REJECTED(parse(b.bytes()), "kv 0 ('k') " + at("type", type_at), "unknown value type 13");
}

TEST(GgufReader, RejectsAnUnknownArrayElementType) {
    gguf_bytes b;
    b.header(0, 1).str("k").u32(array_type);
    const uint64_t type_at = b.offset();
    b.u32(99).u64(0);
    EXPECT_REJECTED(parse(b.bytes()), at("array element type", type_at), "unknown value type 99");
}

gguf_bytes nested_arrays(int depth) {
    gguf_bytes b;
    b.header(0, 1).str("nested").u32(array_type);
    for (int level = 1; level < depth; ++level) b.u32(array_type).u64(1);
    b.u32(u8_type).u64(1).u8(7);
    return b;
}

TEST(GgufReader, AcceptsArraysNestedEightDeep) {
    const parse_result result = parse(nested_arrays(8).bytes());
    EXPECT_EQ(result.status, PXL_STATUS_OK) << result.message;
}

TEST(GgufReader, RejectsArraysNestedNineDeep) {
    EXPECT_REJECTED(parse(nested_arrays(9).bytes()), "kv 0 ('nested') element [0][0][0][0][0][0][0][0] type",
                    "nest deeper than 8");
}

TEST(GgufReader, RejectsADuplicateKey) {
    gguf_bytes b;
    b.header(0, 2).kv_u32("a.b", 1);
    const uint64_t key_at = b.offset();
    b.kv_u32("a.b", 2);
    EXPECT_REJECTED(parse(b.bytes()), "kv 1 ('a.b') " + at("key", key_at), "duplicate key");
}

TEST(GgufReader, RejectsAKeyWithANulByte) {
    gguf_bytes b;
    b.header(0, 1).str(std::string_view("a\0b", 3)).u32(u8_type).u8(1);
    EXPECT_REJECTED(parse(b.bytes()), at("key", 24), "NUL");
}

TEST(GgufReader, AcceptsNamesThatAreNotUtf8) {
    gguf_bytes b;
    b.header(0, 1).kv_u32("\xff\xfe", 1);
    EXPECT_EQ(parse(b.bytes()).status, PXL_STATUS_OK);
}

TEST(GgufReader, EscapesUnprintableBytesInMessages) {
    gguf_bytes b;
    b.header(0, 2).kv_u32("\xff\n", 1).kv_u32("\xff\n", 2);
    EXPECT_REJECTED(parse(b.bytes()), "('\\xff\\x0a')");
}

gguf_bytes alignment_file(uint32_t type, uint64_t value, uint64_t* type_at, uint64_t* value_at) {
    gguf_bytes b;
    b.header(0, 1).str("general.alignment");
    *type_at = b.offset();
    b.u32(type);
    *value_at = b.offset();
    if (type == u32_type)
        b.u32(static_cast<uint32_t>(value));
    else
        b.u64(value);
    return b;
}

TEST(GgufReader, RejectsAlignmentZero) {
    uint64_t type_at = 0, value_at = 0;
    EXPECT_REJECTED(parse(alignment_file(u32_type, 0, &type_at, &value_at).bytes()),
                    "kv 0 ('general.alignment') " + at("value", value_at), "power of two, found 0");
}

TEST(GgufReader, RejectsAlignmentThree) {
    uint64_t type_at = 0, value_at = 0;
    EXPECT_REJECTED(parse(alignment_file(u32_type, 3, &type_at, &value_at).bytes()), at("value", value_at),
                    "power of two, found 3");
}

TEST(GgufReader, RejectsAlignmentOfTheWrongType) {
    uint64_t type_at = 0, value_at = 0;
    EXPECT_REJECTED(parse(alignment_file(u64_type, 32, &type_at, &value_at).bytes()),
                    "('general.alignment') " + at("type", type_at), "must be uint32, found uint64");
}

TEST(GgufReader, RejectsNDimsFive) {
    gguf_bytes b;
    b.header(1, 0).str("t");
    const uint64_t n_dims_at = b.offset();
    b.u32(5).zeros(60);
    EXPECT_REJECTED(parse(b.bytes()), "tensor 0 ('t') " + at("n_dims", n_dims_at), "5 dimensions");
}

TEST(GgufReader, RejectsNDimsZero) {
    gguf_bytes b;
    b.header(1, 0).str("t");
    const uint64_t n_dims_at = b.offset();
    b.u32(0).zeros(60);
    EXPECT_REJECTED(parse(b.bytes()), at("n_dims", n_dims_at), "0 dimensions");
}

TEST(GgufReader, RejectsAZeroDimension) {
    const parse_result result = parse(one_tensor_file({4, 0}, f32_tensor, 0, 16).bytes());
    EXPECT_REJECTED(result, "tensor 0 ('t') " + at("dims[1]", 45), "0: every dimension must be at least 1");
}

TEST(GgufReader, RejectsANegativeDimension) {
    EXPECT_REJECTED(parse(one_tensor_file({-4}, f32_tensor, 0, 16).bytes()), at("dims[0]", 37), "-4");
}

TEST(GgufReader, RejectsDimensionsWhoseProductOverflows) {
    EXPECT_REJECTED(parse(one_tensor_file({int64_t{1} << 32, int64_t{1} << 32}, f32_tensor, 0, 16).bytes()),
                    at("dims[1]", 45), "overflows int64");
}

TEST(GgufReader, RejectsATensorWhoseByteSizeOverflows) {
    EXPECT_REJECTED(parse(one_tensor_file({int64_t{1} << 62}, f32_tensor, 0, 16).bytes()), "tensor 0 ('t') type",
                    "byte size overflows");
}

TEST(GgufReader, RejectsARetiredTensorTypeNamingTheTensor) {
    EXPECT_REJECTED(parse(one_tensor_file({32}, 4, 0, 32).bytes()), "tensor 0 ('t') " + at("type", 45),
                    "unknown tensor type 4");
}

TEST(GgufReader, RejectsAnUnknownTensorType) {
    EXPECT_REJECTED(parse(one_tensor_file({32}, 0xffffffffu, 0, 32).bytes()), "unknown tensor type 4294967295");
}

TEST(GgufReader, RejectsARowThatIsNotWholeBlocks) {
    EXPECT_REJECTED(parse(one_tensor_file({33}, q4_0_tensor, 0, 64).bytes()), at("dims[0]", 37),
                    "33 is not a multiple of the q4_0 block size (32)");
}

TEST(GgufReader, RejectsAMisalignedTensorOffset) {
    EXPECT_REJECTED(parse(one_tensor_file({4}, f32_tensor, 8, 64).bytes()), "tensor 0 ('t') " + at("data_offset", 49),
                    "8 is not a multiple of the alignment (32)");
}

TEST(GgufReader, RejectsTensorDataPastTheEndOfTheFile) {
    EXPECT_REJECTED(parse(one_tensor_file({16}, f32_tensor, 0, 63).bytes()), at("data_offset", 49),
                    "runs past the end of the file");
}

TEST(GgufReader, RejectsATensorOffsetThatOverflowsWhenAdded) {
    EXPECT_REJECTED(parse(one_tensor_file({4}, f32_tensor, ~uint64_t{31}, 64).bytes()), at("data_offset", 49),
                    "runs past the end of the file");
}

TEST(GgufReader, RejectsOverlappingTensors) {
    gguf_bytes b;
    b.header(2, 0).tensor("first", {16}, f32_tensor, 32);
    b.str("second").u32(1).i64(16).u32(f32_tensor);
    const uint64_t offset_at = b.offset();
    b.u64(64).pad(32).zeros(128);
    EXPECT_REJECTED(parse(b.bytes()), "tensor 1 ('second') " + at("data_offset", offset_at),
                    "overlaps tensor 0 ('first')");
}

TEST(GgufReader, AcceptsTensorsStoredOutOfOrderWithoutOverlap) {
    gguf_bytes b;
    b.header(2, 0).tensor("late", {8}, f32_tensor, 32).tensor("early", {8}, f32_tensor, 0).pad(32).zeros(64);
    EXPECT_EQ(parse(b.bytes()).status, PXL_STATUS_OK) << parse(b.bytes()).message;
}

TEST(GgufReader, RejectsADuplicateTensorName) {
    gguf_bytes b;
    b.header(2, 0).tensor("w", {8}, f32_tensor, 0);
    const uint64_t name_at = b.offset();
    b.tensor("w", {8}, f32_tensor, 32).pad(32).zeros(64);
    EXPECT_REJECTED(parse(b.bytes()), "tensor 1 ('w') " + at("name", name_at), "duplicate tensor name");
}

TEST(GgufReader, RejectsMetadataLargerThanMaxMetadataBytes) {
    const gguf_bytes b = small_valid_file();
    EXPECT_EQ(parse(b.bytes(), 1024).status, PXL_STATUS_OK);
    EXPECT_REJECTED(parse(b.bytes(), 64), "max_metadata_bytes (64)");
}

TEST(GgufReader, UsesTheDefaultAlignmentWhenNoneIsSet) {
    const gguf_bytes b = one_tensor_file({8}, f32_tensor, 0, 32);
    pxl::gguf_file file(pxl::file_mapping::copy_memory(b.data(), b.size()), {});
    EXPECT_EQ(file.alignment(), 32u);
    EXPECT_EQ(file.data_offset(), 64u);
}

TEST(GgufReader, ParsesA32000TokenVocabularyIntoOneNodePerToken) {
    gguf_bytes b;
    b.header(0, 1).str("tokenizer.ggml.tokens").u32(array_type).u32(string_type).u64(32000);
    for (int i = 0; i < 32000; ++i) b.str("tok" + std::to_string(i));
    pxl::gguf_file file(pxl::file_mapping::copy_memory(b.data(), b.size()), {});
    const pxl::gguf_node& tokens = file.value(0);
    ASSERT_EQ(tokens.count, 32000u);
    EXPECT_EQ(file.string(file.element(tokens, 31999)), "tok31999");
}

// Touches every value, element and tensor byte a parsed file hands out; under AddressSanitizer
// this proves the accessors stay inside the bytes for whatever the parser accepted.
uint64_t walk(const pxl::gguf_file& file, const pxl::gguf_node& node) {
    uint64_t sum = node.bits;
    if (node.type == PXL_GGUF_TYPE_STRING && node.count > 0)
        sum += static_cast<uint8_t>(file.string(node).front()) + static_cast<uint8_t>(file.string(node).back());
    if (node.type == PXL_GGUF_TYPE_ARRAY)
        for (uint64_t i = 0; i < node.count; ++i) sum += walk(file, file.element(node, i));
    return sum;
}

uint64_t walk(const pxl::gguf_file& file) {
    uint64_t sum = 0;
    for (int64_t i = 0; i < file.metadata_count(); ++i) sum += walk(file, file.value(i)) + file.key(i).size();
    for (int64_t i = 0; i < file.tensor_count(); ++i) {
        const pxl::gguf_tensor& tensor = file.tensor(i);
        sum += file.tensor_data(tensor)[0] + file.tensor_data(tensor)[tensor.byte_size - 1];
    }
    return sum;
}

TEST(GgufReader, SurvivesThousandsOfRandomCorruptionsOfAValidFile) {
    const std::vector<uint8_t> valid = small_valid_file().bytes();
    uint32_t state = 12345;
    const auto next = [&] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    int accepted = 0;
    for (int round = 0; round < 4000; ++round) {
        std::vector<uint8_t> bytes = valid;
        const int changes = 1 + static_cast<int>(next() % 4);
        for (int c = 0; c < changes; ++c) {
            const size_t at = next() % bytes.size();
            // Mostly single bytes; sometimes a whole little-endian count or length set to an extreme.
            if (next() % 4 == 0 && at + 8 <= bytes.size()) {
                const uint64_t extremes[] = {0, 1, 0x7fffffffffffffffull, ~uint64_t{0}, uint64_t{1} << 32, 31};
                std::memcpy(&bytes[at], &extremes[next() % 6], 8);
            } else {
                bytes[at] = static_cast<uint8_t>(next());
            }
        }
        if (next() % 8 == 0) bytes.resize(next() % bytes.size());
        try {
            pxl::gguf_file file(pxl::file_mapping::copy_memory(bytes.data(), bytes.size()), {});
            (void)walk(file);
            ++accepted;
        } catch (const pxl::error& e) {
            ASSERT_EQ(e.status(), PXL_STATUS_INVALID_FORMAT) << "round " << round << ": " << e.what();
        }
    }
    EXPECT_GT(accepted, 0); // some corruptions land in tensor data or padding and are harmless
}

TEST(GgufReader, ForgedArrayIdsAreRefused) {
    gguf_bytes b;
    b.header(0, 2).kv_u32("scalar", 1).str("list").u32(array_type).u32(u8_type).u64(2).u8(1).u8(2);
    pxl::gguf_file file(pxl::file_mapping::copy_memory(b.data(), b.size()), {});
    const uint64_t id = file.array_id(file.value(1));
    EXPECT_EQ(file.find_array(id), &file.value(1));
    EXPECT_EQ(file.find_array(0), nullptr);
    EXPECT_EQ(file.find_array(id - 1), nullptr);                   // the scalar's node
    EXPECT_EQ(file.find_array(id + 1), nullptr);                   // past the table
    EXPECT_EQ(file.find_array(id ^ (uint64_t{1} << 40)), nullptr); // another file's serial

    pxl::gguf_file other(pxl::file_mapping::copy_memory(b.data(), b.size()), {});
    EXPECT_EQ(other.find_array(id), nullptr);
}

} // namespace
