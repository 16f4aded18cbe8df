// Files written by pxl::gguf_writer read back through pxl::gguf_file with the same metadata and
// tensor data: every metadata type, every convertible tensor type, and raw bytes of the others.
#include "format/gguf_bytes.h"

#include "cpu/convert.h"
#include "format/gguf_file.h"
#include "format/gguf_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace {

using pxl::gguf_value;
using pxl_test::scratch_dir;

std::vector<float> sample_values(size_t count, uint32_t seed) {
    std::vector<float> values(count);
    uint32_t state = seed;
    for (float& value : values) {
        state = state * 1664525u + 1013904223u;
        value =
            static_cast<float>(static_cast<int32_t>(state >> 8) - (1 << 23)) / static_cast<float>(1 << 22); // [-2, 2)
    }
    return values;
}

std::vector<uint8_t> sample_bytes(size_t count, uint32_t seed) {
    std::vector<uint8_t> bytes(count);
    uint32_t state = seed;
    for (uint8_t& byte : bytes) {
        state = state * 1664525u + 1013904223u;
        byte = static_cast<uint8_t>(state >> 24);
    }
    return bytes;
}

int64_t key_index(const pxl::gguf_file& file, const char* key) {
    const int64_t index = file.find_key(key);
    EXPECT_GE(index, 0) << key;
    return index;
}

TEST(GgufRoundTrip, EveryMetadataTypeComesBackWithItsValue) {
    scratch_dir dir;
    const std::string path = dir.file("metadata.gguf");
    const uint32_t u32s[] = {1, 0xffffffffu, 7};
    const uint8_t bools[] = {1, 0, 1};
    const char* words[] = {"<s>", "", "\xe2\x96\x81hi"};
    const uint64_t word_lengths[] = {3, 0, 5};
    const int16_t i16s[] = {-3, 4};
    {
        pxl::gguf_writer writer;
        writer.set("u8", gguf_value::u8(200));
        writer.set("i8", gguf_value::i8(-100));
        writer.set("u16", gguf_value::u16(60000));
        writer.set("i16", gguf_value::i16(-30000));
        writer.set("u32", gguf_value::u32(4000000000u));
        writer.set("i32", gguf_value::i32(-2000000000));
        writer.set("f32", gguf_value::f32(0.1f));
        writer.set("bool", gguf_value::boolean(true));
        writer.set("string", gguf_value::string("llama"));
        writer.set("empty_string", gguf_value::string(""));
        writer.set("u64", gguf_value::u64(0xf123456789abcdefull));
        writer.set("i64", gguf_value::i64(-0x123456789abcll));
        writer.set("f64", gguf_value::f64(-2.5e300));
        writer.set("u32_array", gguf_value::numeric_array(PXL_GGUF_TYPE_UINT32, u32s, 3));
        writer.set("bool_array", gguf_value::numeric_array(PXL_GGUF_TYPE_BOOL, bools, 3));
        writer.set("empty_array", gguf_value::numeric_array(PXL_GGUF_TYPE_FLOAT32, nullptr, 0));
        writer.set("strings", gguf_value::string_array(words, word_lengths, 3));
        writer.set("empty_strings", gguf_value::string_array(nullptr, nullptr, 0));
        writer.set("nested",
                   gguf_value::array(
                       PXL_GGUF_TYPE_ARRAY,
                       {gguf_value::numeric_array(PXL_GGUF_TYPE_INT16, i16s, 2),
                        gguf_value::string_array(words, word_lengths, 2), gguf_value::array(PXL_GGUF_TYPE_ARRAY, {}),
                        gguf_value::array(PXL_GGUF_TYPE_ARRAY,
                                          {gguf_value::array(PXL_GGUF_TYPE_FLOAT64, {gguf_value::f64(1.5)})})}));
        writer.begin(path);
        writer.finish();
    }
    pxl::gguf_file file(pxl::file_mapping::map_file(path), {});
    ASSERT_EQ(file.metadata_count(), 19);
    EXPECT_EQ(file.key(0), "u8"); // declaration order is kept
    EXPECT_EQ(pxl::gguf_node_uint(file.value(key_index(file, "u8"))), 200u);
    EXPECT_EQ(pxl::gguf_node_int(file.value(key_index(file, "i8"))), -100);
    EXPECT_EQ(pxl::gguf_node_uint(file.value(key_index(file, "u16"))), 60000u);
    EXPECT_EQ(pxl::gguf_node_int(file.value(key_index(file, "i16"))), -30000);
    EXPECT_EQ(pxl::gguf_node_uint(file.value(key_index(file, "u32"))), 4000000000u);
    EXPECT_EQ(pxl::gguf_node_int(file.value(key_index(file, "i32"))), -2000000000);
    EXPECT_EQ(pxl::gguf_node_float(file.value(key_index(file, "f32"))), static_cast<double>(0.1f));
    EXPECT_EQ(file.value(key_index(file, "bool")).type, PXL_GGUF_TYPE_BOOL);
    EXPECT_EQ(pxl::gguf_node_uint(file.value(key_index(file, "bool"))), 1u);
    EXPECT_EQ(file.string(file.value(key_index(file, "string"))), "llama");
    EXPECT_EQ(file.value(key_index(file, "empty_string")).count, 0u);
    EXPECT_EQ(pxl::gguf_node_uint(file.value(key_index(file, "u64"))), 0xf123456789abcdefull);
    EXPECT_EQ(pxl::gguf_node_int(file.value(key_index(file, "i64"))), -0x123456789abcll);
    EXPECT_EQ(pxl::gguf_node_float(file.value(key_index(file, "f64"))), -2.5e300);

    const pxl::gguf_node& u32_array = file.value(key_index(file, "u32_array"));
    ASSERT_EQ(u32_array.element_type, PXL_GGUF_TYPE_UINT32);
    ASSERT_EQ(u32_array.count, 3u);
    EXPECT_EQ(std::memcmp(file.array_data(u32_array), u32s, sizeof u32s), 0);
    EXPECT_EQ(pxl::gguf_node_uint(file.element(u32_array, 1)), 0xffffffffu);
    const pxl::gguf_node& bool_array = file.value(key_index(file, "bool_array"));
    EXPECT_EQ(bool_array.element_type, PXL_GGUF_TYPE_BOOL);
    EXPECT_EQ(pxl::gguf_node_uint(file.element(bool_array, 1)), 0u);
    EXPECT_EQ(file.value(key_index(file, "empty_array")).count, 0u);
    EXPECT_EQ(file.value(key_index(file, "empty_array")).element_type, PXL_GGUF_TYPE_FLOAT32);

    const pxl::gguf_node& strings = file.value(key_index(file, "strings"));
    ASSERT_EQ(strings.count, 3u);
    for (uint64_t i = 0; i < 3; ++i)
        EXPECT_EQ(file.string(file.element(strings, i)), std::string(words[i], word_lengths[i]));
    EXPECT_EQ(file.value(key_index(file, "empty_strings")).element_type, PXL_GGUF_TYPE_STRING);
    EXPECT_EQ(file.value(key_index(file, "empty_strings")).count, 0u);

    const pxl::gguf_node& nested = file.value(key_index(file, "nested"));
    ASSERT_EQ(nested.element_type, PXL_GGUF_TYPE_ARRAY);
    ASSERT_EQ(nested.count, 4u);
    const pxl::gguf_node shorts = file.element(nested, 0);
    ASSERT_EQ(shorts.element_type, PXL_GGUF_TYPE_INT16);
    EXPECT_EQ(pxl::gguf_node_int(file.element(shorts, 0)), -3);
    const pxl::gguf_node inner_strings = file.element(nested, 1);
    ASSERT_EQ(inner_strings.count, 2u);
    EXPECT_EQ(file.string(file.element(inner_strings, 0)), "<s>");
    EXPECT_EQ(file.element(nested, 2).count, 0u);
    const pxl::gguf_node deeper = file.element(file.element(nested, 3), 0);
    EXPECT_EQ(pxl::gguf_node_float(file.element(deeper, 0)), 1.5);
    EXPECT_NE(file.find_array(file.array_id(deeper)), nullptr);
}

TEST(GgufRoundTrip, SettingAKeyAgainReplacesItsValueInPlace) {
    scratch_dir dir;
    const std::string path = dir.file("replace.gguf");
    {
        pxl::gguf_writer writer;
        writer.set("a", gguf_value::u32(1));
        writer.set("b", gguf_value::u32(2));
        writer.set("a", gguf_value::string("again"));
        writer.begin(path);
        writer.finish();
    }
    pxl::gguf_file file(pxl::file_mapping::map_file(path), {});
    ASSERT_EQ(file.metadata_count(), 2);
    EXPECT_EQ(file.key(0), "a");
    EXPECT_EQ(file.string(file.value(0)), "again");
}

TEST(GgufRoundTrip, ConvertibleTensorTypesReadBackAsTheirEncodedValues) {
    scratch_dir dir;
    const std::string path = dir.file("tensors.gguf");
    const pxl_tensor_type types[] = {PXL_TENSOR_TYPE_F32, PXL_TENSOR_TYPE_F16, PXL_TENSOR_TYPE_BF16,
                                     PXL_TENSOR_TYPE_Q8_0, PXL_TENSOR_TYPE_Q4_0};
    const int64_t dims[] = {64, 3};
    const std::vector<float> values = sample_values(64 * 3, 42);
    {
        pxl::gguf_writer writer;
        for (pxl_tensor_type type : types) writer.add_tensor("t" + std::to_string(type), type, dims, 2);
        writer.begin(path);
        for (size_t i = 0; i < std::size(types); ++i) writer.write_tensor_f32(values.data(), values.size());
        writer.finish();
    }
    pxl::gguf_file file(pxl::file_mapping::map_file(path), {});
    ASSERT_EQ(file.tensor_count(), 5);
    for (pxl_tensor_type type : types) {
        const pxl::gguf_tensor& tensor = file.tensor(file.find_tensor("t" + std::to_string(type)));
        EXPECT_EQ(tensor.type, type);
        EXPECT_EQ(tensor.element_count, values.size());
        EXPECT_EQ(tensor.file_offset % 32, 0u);
        // What the file must hold: the values encoded as the type, decoded again.
        std::vector<uint8_t> encoded(tensor.byte_size);
        pxl::cpu::from_f32(type, values.data(), encoded.data(), static_cast<int64_t>(values.size()));
        std::vector<float> expected(values.size()), read(values.size());
        pxl::cpu::to_f32(type, encoded.data(), expected.data(), static_cast<int64_t>(values.size()));
        pxl::cpu::to_f32(type, file.tensor_data(tensor), read.data(), static_cast<int64_t>(values.size()));
        EXPECT_EQ(read, expected) << "type " << type;
        if (type == PXL_TENSOR_TYPE_F32) EXPECT_EQ(read, values);
    }
}

TEST(GgufRoundTrip, RawBytesOfTypesWithoutConversionComeBackExactly) {
    scratch_dir dir;
    const std::string path = dir.file("raw.gguf");
    struct raw_tensor {
        const char* name;
        pxl_tensor_type type;
        int64_t dims[2];
        int32_t n_dims;
        std::vector<uint8_t> bytes;
    };
    std::vector<raw_tensor> tensors = {
        {"q4_k", PXL_TENSOR_TYPE_Q4_K, {256, 2}, 2, sample_bytes(2 * 144, 1)},
        {"i32", PXL_TENSOR_TYPE_I32, {5, 1}, 1, sample_bytes(5 * 4, 2)},
        {"f64", PXL_TENSOR_TYPE_F64, {3, 1}, 1, sample_bytes(3 * 8, 3)},
    };
    {
        pxl::gguf_writer writer;
        for (const raw_tensor& t : tensors) writer.add_tensor(t.name, t.type, t.dims, t.n_dims);
        writer.begin(path);
        for (const raw_tensor& t : tensors) writer.write_tensor(t.bytes.data(), t.bytes.size());
        writer.finish();
    }
    pxl::gguf_file file(pxl::file_mapping::map_file(path), {});
    for (const raw_tensor& t : tensors) {
        const pxl::gguf_tensor& tensor = file.tensor(file.find_tensor(t.name));
        ASSERT_EQ(tensor.byte_size, t.bytes.size()) << t.name;
        EXPECT_EQ(std::memcmp(file.tensor_data(tensor), t.bytes.data(), t.bytes.size()), 0) << t.name;
    }
}

TEST(GgufRoundTrip, TensorsLargerThanOneConversionChunkStreamIdentically) {
    scratch_dir dir;
    const std::string path = dir.file("large.gguf");
    const int64_t dims[] = {32, 4099}; // 131168 values: two full chunks of 65536 and a partial one
    const std::vector<float> values = sample_values(32 * 4099, 7);
    {
        pxl::gguf_writer writer;
        writer.add_tensor("big", PXL_TENSOR_TYPE_Q8_0, dims, 2);
        writer.begin(path);
        writer.write_tensor_f32(values.data(), values.size());
        writer.finish();
    }
    pxl::gguf_file file(pxl::file_mapping::read_file(path), {});
    const pxl::gguf_tensor& tensor = file.tensor(0);
    std::vector<uint8_t> expected(tensor.byte_size);
    pxl::cpu::from_f32(PXL_TENSOR_TYPE_Q8_0, values.data(), expected.data(), static_cast<int64_t>(values.size()));
    EXPECT_EQ(std::memcmp(file.tensor_data(tensor), expected.data(), expected.size()), 0);
}

TEST(GgufRoundTrip, GeneralAlignmentSetsTheDataAlignment) {
    scratch_dir dir;
    const std::string path = dir.file("aligned.gguf");
    const int64_t dims[] = {3};
    const float values[] = {1, 2, 3};
    {
        pxl::gguf_writer writer;
        writer.add_tensor("a", PXL_TENSOR_TYPE_F32, dims, 1);
        writer.add_tensor("b", PXL_TENSOR_TYPE_F32, dims, 1);
        writer.set("general.alignment", gguf_value::u32(256)); // after the declarations on purpose
        writer.begin(path);
        writer.write_tensor_f32(values, 3);
        writer.write_tensor_f32(values, 3);
        writer.finish();
    }
    pxl::gguf_file file(pxl::file_mapping::map_file(path), {});
    EXPECT_EQ(file.alignment(), 256u);
    EXPECT_EQ(file.data_offset() % 256, 0u);
    EXPECT_EQ(file.tensor(1).file_offset - file.tensor(0).file_offset, 256u);
    EXPECT_EQ(file.file_size() % 256, 0u); // the last tensor is padded too, as llama.cpp writes it
}

TEST(GgufRoundTrip, AFileWithoutTensorsOrMetadataIsValid) {
    scratch_dir dir;
    const std::string path = dir.file("empty.gguf");
    {
        pxl::gguf_writer writer;
        writer.begin(path);
        writer.finish();
    }
    pxl::gguf_file file(pxl::file_mapping::map_file(path), {});
    EXPECT_EQ(file.metadata_count(), 0);
    EXPECT_EQ(file.tensor_count(), 0);
    EXPECT_EQ(file.version(), 3u);
}

} // namespace
