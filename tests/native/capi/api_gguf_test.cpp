// The GGUF reading calls of pixellm.h, used as a host uses them: argument checks, struct sizes,
// ranges, array ids, messages, and tensor data read back as f32.
#include "capi/abi_helpers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace pxl_test;

struct sample_tensor {
    const char* name;
    pxl_tensor_type type;
    std::vector<int64_t> dims;
};

const std::vector<sample_tensor>& sample_tensors() {
    static const std::vector<sample_tensor> tensors = {
        {"f32", PXL_TENSOR_TYPE_F32, {8, 2}},    {"f16", PXL_TENSOR_TYPE_F16, {64}},
        {"bf16", PXL_TENSOR_TYPE_BF16, {16}},    {"q8_0", PXL_TENSOR_TYPE_Q8_0, {64, 2}},
        {"q4_0", PXL_TENSOR_TYPE_Q4_0, {32, 3}}, {"q4_k", PXL_TENSOR_TYPE_Q4_K, {256}},
    };
    return tensors;
}

uint64_t element_count(const sample_tensor& tensor) {
    uint64_t count = 1;
    for (int64_t dim : tensor.dims) count *= static_cast<uint64_t>(dim);
    return count;
}

// Deterministic values in [-4, 4) with a few exact small integers mixed in.
std::vector<float> sample_values(uint64_t count, uint32_t seed) {
    std::vector<float> values(count);
    uint32_t state = seed;
    for (uint64_t i = 0; i < count; ++i) {
        state = state * 1664525u + 1013904223u;
        values[i] =
            i % 7 == 0 ? static_cast<float>(static_cast<int>(i % 5) - 2)
                       : static_cast<float>(static_cast<int32_t>(state >> 8) - (1 << 23)) / static_cast<float>(1 << 21);
    }
    return values;
}

class ApiGguf : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = dir_.file("sample.gguf");
        writer_ptr writer = make_writer();
        ASSERT_PXL_OK(pxl_gguf_writer_set_string(writer.get(), "general.architecture", "llama", 5));
        const float scores[] = {0.0f, -1.5f, 3.25f};
        ASSERT_PXL_OK(pxl_gguf_writer_set_array(writer.get(), "scores", PXL_GGUF_TYPE_FLOAT32, scores, 3));
        const char* tokens[] = {"<unk>", "hello", ""};
        const uint64_t lengths[] = {5, 5, 0};
        ASSERT_PXL_OK(pxl_gguf_writer_set_string_array(writer.get(), "tokens", tokens, lengths, 3));
        ASSERT_PXL_OK(pxl_gguf_writer_set_u32(writer.get(), "count", 7));
        for (const sample_tensor& tensor : sample_tensors())
            ASSERT_PXL_OK(pxl_gguf_writer_add_tensor(writer.get(), tensor.name, tensor.type, tensor.dims.data(),
                                                     static_cast<int32_t>(tensor.dims.size())));
        ASSERT_PXL_OK(pxl_gguf_writer_begin(writer.get(), path_.c_str()));
        uint32_t seed = 1;
        for (const sample_tensor& tensor : sample_tensors()) {
            if (tensor.type == PXL_TENSOR_TYPE_Q4_K) {
                q4_k_bytes_.assign(144, 0);
                for (size_t i = 0; i < q4_k_bytes_.size(); ++i) q4_k_bytes_[i] = static_cast<uint8_t>(i * 13);
                ASSERT_PXL_OK(pxl_gguf_writer_write_tensor(writer.get(), q4_k_bytes_.data(), q4_k_bytes_.size()));
                continue;
            }
            values_.push_back(sample_values(element_count(tensor), seed++));
            ASSERT_PXL_OK(pxl_gguf_writer_write_tensor_f32(writer.get(), values_.back().data(), values_.back().size()));
        }
        ASSERT_PXL_OK(pxl_gguf_writer_finish(writer.get()));
        file_ = open_file(path_);
        ASSERT_NE(file_, nullptr);
    }

    int64_t tensor_index(const char* name) {
        int64_t index = -1;
        EXPECT_PXL_OK(pxl_gguf_tensor_find(file_.get(), name, &index));
        return index;
    }

    scratch_dir dir_;
    std::string path_;
    gguf_ptr file_;
    std::vector<std::vector<float>> values_; // per convertible tensor, in declaration order
    std::vector<uint8_t> q4_k_bytes_;
};

TEST_F(ApiGguf, OpeningAMissingFileIsAnIoErrorNamingThePath) {
    const std::string missing = dir_.file("missing.gguf");
    pxl_gguf* file = reinterpret_cast<pxl_gguf*>(this); // must be reset to NULL on failure
    EXPECT_PXL_ERROR(pxl_gguf_open(missing.c_str(), nullptr, &file), PXL_STATUS_IO_ERROR, missing);
    EXPECT_EQ(file, nullptr);
}

TEST_F(ApiGguf, OpeningACorruptFileIsInvalidFormatNamingThePathFieldAndOffset) {
    const std::string corrupt = dir_.file("corrupt.gguf");
    std::vector<uint8_t> bytes = read_file(path_);
    bytes[4] = 9; // the version
    write_file(corrupt, bytes);
    pxl_gguf* file = nullptr;
    EXPECT_PXL_ERROR(pxl_gguf_open(corrupt.c_str(), nullptr, &file), PXL_STATUS_INVALID_FORMAT, "version at offset 4",
                     corrupt);
    EXPECT_EQ(file, nullptr);
}

TEST_F(ApiGguf, OpeningGarbageFromMemoryIsInvalidFormat) {
    const char garbage[] = "definitely not a gguf file";
    pxl_gguf* file = nullptr;
    EXPECT_PXL_ERROR(pxl_gguf_open_memory(garbage, sizeof garbage, nullptr, &file), PXL_STATUS_INVALID_FORMAT,
                     "magic at offset 0");
    EXPECT_PXL_ERROR(pxl_gguf_open_memory(nullptr, 0, nullptr, &file), PXL_STATUS_INVALID_FORMAT, "magic");
}

TEST_F(ApiGguf, ReadingWithoutMmapGivesTheSameFile) {
    pxl_gguf_open_params params = pxl_gguf_default_open_params();
    EXPECT_EQ(params.use_mmap, 1);
    EXPECT_EQ(params.max_metadata_bytes, uint64_t{1} << 30);
    params.use_mmap = 0;
    const gguf_ptr copy = open_file(path_, &params);
    ASSERT_NE(copy, nullptr);
    EXPECT_EQ(pxl_gguf_file_size(copy.get()), pxl_gguf_file_size(file_.get()));
    EXPECT_EQ(pxl_gguf_data_offset(copy.get()), pxl_gguf_data_offset(file_.get()));
    const void* mapped = nullptr;
    const void* read = nullptr;
    uint64_t mapped_size = 0, read_size = 0;
    ASSERT_PXL_OK(pxl_gguf_tensor_data(file_.get(), 0, &mapped, &mapped_size));
    ASSERT_PXL_OK(pxl_gguf_tensor_data(copy.get(), 0, &read, &read_size));
    ASSERT_EQ(mapped_size, read_size);
    EXPECT_EQ(std::memcmp(mapped, read, read_size), 0);
}

TEST_F(ApiGguf, OpenParamsAreChecked) {
    pxl_gguf* file = nullptr;
    pxl_gguf_open_params params = pxl_gguf_default_open_params();
    params.struct_size = sizeof params - 1;
    EXPECT_PXL_ERROR(pxl_gguf_open(path_.c_str(), &params, &file), PXL_STATUS_INVALID_ARGUMENT, "params->struct_size");
    params = pxl_gguf_default_open_params();
    params.use_mmap = 2;
    EXPECT_PXL_ERROR(pxl_gguf_open(path_.c_str(), &params, &file), PXL_STATUS_INVALID_ARGUMENT,
                     "params->use_mmap is 2");
    params = pxl_gguf_default_open_params();
    params.max_metadata_bytes = 0;
    EXPECT_PXL_ERROR(pxl_gguf_open_memory("GGUF", 4, &params, &file), PXL_STATUS_INVALID_ARGUMENT,
                     "max_metadata_bytes");
    params = pxl_gguf_default_open_params();
    params.max_metadata_bytes = 100;
    EXPECT_PXL_ERROR(pxl_gguf_open(path_.c_str(), &params, &file), PXL_STATUS_INVALID_FORMAT,
                     "max_metadata_bytes (100)");
    EXPECT_EQ(file, nullptr);
}

TEST_F(ApiGguf, NullArgumentsAreInvalidArgumentsNamingTheArgument) {
    const pxl_gguf* file = file_.get();
    pxl_gguf* opened = nullptr;
    int64_t index = 0;
    const char* key = nullptr;
    pxl_gguf_value value = empty_value();
    pxl_gguf_tensor_info info{};
    info.struct_size = sizeof info;
    const void* data = nullptr;
    uint64_t size = 0;
    const uint64_t scores = metadata(file, "scores").array_id;
    EXPECT_PXL_ERROR(pxl_gguf_open(nullptr, nullptr, &opened), PXL_STATUS_INVALID_ARGUMENT,
                     "pxl_gguf_open: path is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_open(path_.c_str(), nullptr, nullptr), PXL_STATUS_INVALID_ARGUMENT, "out_file is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_open_memory(nullptr, 10, nullptr, &opened), PXL_STATUS_INVALID_ARGUMENT, "data is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_metadata_find(nullptr, "count", &index), PXL_STATUS_INVALID_ARGUMENT, "file is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_metadata_find(file, nullptr, &index), PXL_STATUS_INVALID_ARGUMENT, "key is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_metadata_find(file, "count", nullptr), PXL_STATUS_INVALID_ARGUMENT, "out_index is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_metadata_key(nullptr, 0, &key), PXL_STATUS_INVALID_ARGUMENT, "file is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_metadata_key(file, 0, nullptr), PXL_STATUS_INVALID_ARGUMENT, "out_key is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_metadata_get(nullptr, 0, &value), PXL_STATUS_INVALID_ARGUMENT, "file is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_metadata_get(file, 0, nullptr), PXL_STATUS_INVALID_ARGUMENT, "out_value is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_array_get(nullptr, scores, 0, &value), PXL_STATUS_INVALID_ARGUMENT, "file is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_array_get(file, scores, 0, nullptr), PXL_STATUS_INVALID_ARGUMENT, "out_value is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_array_copy(nullptr, scores, 0, 1, &value, 4), PXL_STATUS_INVALID_ARGUMENT,
                     "file is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_array_copy(file, scores, 0, 1, nullptr, 4), PXL_STATUS_INVALID_ARGUMENT, "dst is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_find(nullptr, "f32", &index), PXL_STATUS_INVALID_ARGUMENT, "file is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_find(file, nullptr, &index), PXL_STATUS_INVALID_ARGUMENT, "name is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_find(file, "f32", nullptr), PXL_STATUS_INVALID_ARGUMENT, "out_index is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_get_info(nullptr, 0, &info), PXL_STATUS_INVALID_ARGUMENT, "file is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_get_info(file, 0, nullptr), PXL_STATUS_INVALID_ARGUMENT, "out_info is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_get_dims(file, 0, nullptr, 4), PXL_STATUS_INVALID_ARGUMENT, "dims is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_data(file, 0, nullptr, &size), PXL_STATUS_INVALID_ARGUMENT, "out_data is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_data(file, 0, &data, nullptr), PXL_STATUS_INVALID_ARGUMENT, "out_size is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_read_f32(file, 0, nullptr, 1000), PXL_STATUS_INVALID_ARGUMENT, "dst is NULL");
    pxl_gguf_free(nullptr);
}

struct log_record {
    std::vector<std::pair<pxl_log_level, std::string>> messages;
};

void record_message(pxl_log_level level, const char* message, void* user_data) {
    static_cast<log_record*>(user_data)->messages.emplace_back(level, message);
}

TEST_F(ApiGguf, OpeningAFileLogsADebugMessageThroughTheCallback) {
    log_record record;
    pxl_log_set_callback(record_message, &record, PXL_LOG_LEVEL_DEBUG);
    const gguf_ptr again = open_file(path_);
    pxl_log_set_callback(record_message, &record, PXL_LOG_LEVEL_INFO);
    const gguf_ptr quiet = open_file(path_);
    pxl_log_set_callback(nullptr, nullptr, PXL_LOG_LEVEL_WARN);
    ASSERT_EQ(record.messages.size(), 1u);
    EXPECT_EQ(record.messages[0].first, PXL_LOG_LEVEL_DEBUG);
    EXPECT_TRUE(contains(record.messages[0].second, path_)) << record.messages[0].second;
    EXPECT_TRUE(contains(record.messages[0].second, "6 tensors")) << record.messages[0].second;
}

TEST_F(ApiGguf, PlainQueriesOfANullFileReturnZero) {
    EXPECT_EQ(pxl_gguf_version(nullptr), 0u);
    EXPECT_EQ(pxl_gguf_alignment(nullptr), 0u);
    EXPECT_EQ(pxl_gguf_data_offset(nullptr), 0u);
    EXPECT_EQ(pxl_gguf_file_size(nullptr), 0u);
    EXPECT_EQ(pxl_gguf_metadata_count(nullptr), 0);
    EXPECT_EQ(pxl_gguf_tensor_count(nullptr), 0);
}

TEST_F(ApiGguf, FileQueriesDescribeTheFile) {
    EXPECT_EQ(pxl_gguf_version(file_.get()), 3u);
    EXPECT_EQ(pxl_gguf_alignment(file_.get()), 32u);
    EXPECT_EQ(pxl_gguf_data_offset(file_.get()) % 32, 0u);
    EXPECT_EQ(pxl_gguf_file_size(file_.get()), read_file(path_).size());
    EXPECT_EQ(pxl_gguf_metadata_count(file_.get()), 4);
    EXPECT_EQ(pxl_gguf_tensor_count(file_.get()), 6);
}

TEST_F(ApiGguf, StructSizesSmallerThanOursAreInvalidArguments) {
    pxl_gguf_value value = empty_value();
    value.struct_size = sizeof value - 8;
    EXPECT_PXL_ERROR(pxl_gguf_metadata_get(file_.get(), 0, &value), PXL_STATUS_INVALID_ARGUMENT,
                     "out_value->struct_size");
    EXPECT_PXL_ERROR(pxl_gguf_array_get(file_.get(), metadata(file_.get(), "scores").array_id, 0, &value),
                     PXL_STATUS_INVALID_ARGUMENT, "out_value->struct_size");
    pxl_gguf_tensor_info info{};
    EXPECT_PXL_ERROR(pxl_gguf_tensor_get_info(file_.get(), 0, &info), PXL_STATUS_INVALID_ARGUMENT,
                     "out_info->struct_size is 0");
}

TEST_F(ApiGguf, LargerCallerStructsAreFilledAndTheirTailIsLeftAlone) {
    struct newer_value {
        pxl_gguf_value value;
        uint64_t future_field;
    } newer{};
    newer.value.struct_size = sizeof newer;
    newer.future_field = 0xabcdef;
    int64_t index = -1;
    ASSERT_PXL_OK(pxl_gguf_metadata_find(file_.get(), "count", &index));
    ASSERT_PXL_OK(pxl_gguf_metadata_get(file_.get(), index, &newer.value));
    EXPECT_EQ(newer.value.uint_value, 7u);
    EXPECT_EQ(newer.value.struct_size, sizeof newer);
    EXPECT_EQ(newer.future_field, 0xabcdefu);

    struct newer_info {
        pxl_gguf_tensor_info info;
        uint64_t future_field;
    } newer_tensor{};
    newer_tensor.info.struct_size = sizeof newer_tensor;
    newer_tensor.future_field = 5;
    ASSERT_PXL_OK(pxl_gguf_tensor_get_info(file_.get(), 0, &newer_tensor.info));
    EXPECT_STREQ(newer_tensor.info.name, "f32");
    EXPECT_EQ(newer_tensor.future_field, 5u);
}

TEST_F(ApiGguf, IndicesOutOfRangeAreInvalidArguments) {
    const pxl_gguf* file = file_.get();
    const char* key = nullptr;
    pxl_gguf_value value = empty_value();
    pxl_gguf_tensor_info info{};
    info.struct_size = sizeof info;
    int64_t dims[4];
    const void* data = nullptr;
    uint64_t size = 0;
    float out[1024];
    EXPECT_PXL_ERROR(pxl_gguf_metadata_key(file, 4, &key), PXL_STATUS_INVALID_ARGUMENT, "index 4 is out of range",
                     "4 metadata pairs");
    EXPECT_PXL_ERROR(pxl_gguf_metadata_key(file, -1, &key), PXL_STATUS_INVALID_ARGUMENT, "index -1");
    EXPECT_PXL_ERROR(pxl_gguf_metadata_get(file, 4, &value), PXL_STATUS_INVALID_ARGUMENT, "index 4");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_get_info(file, 6, &info), PXL_STATUS_INVALID_ARGUMENT, "index 6", "6 tensors");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_get_dims(file, -1, dims, 4), PXL_STATUS_INVALID_ARGUMENT, "index -1");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_data(file, 99, &data, &size), PXL_STATUS_INVALID_ARGUMENT, "index 99");
    EXPECT_PXL_ERROR(pxl_gguf_tensor_read_f32(file, 6, out, 1024), PXL_STATUS_INVALID_ARGUMENT, "index 6");
    const uint64_t tokens = metadata(file, "tokens").array_id;
    EXPECT_PXL_ERROR(pxl_gguf_array_get(file, tokens, 3, &value), PXL_STATUS_INVALID_ARGUMENT, "element_index 3",
                     "3 elements");
}

TEST_F(ApiGguf, ArrayIdsThatNameNoArrayOfThisFileAreInvalidArguments) {
    const pxl_gguf* file = file_.get();
    const uint64_t scores = metadata(file, "scores").array_id;
    ASSERT_NE(scores, 0u);
    pxl_gguf_value value = empty_value();
    float out[3];
    for (const uint64_t bad : {uint64_t{0}, ~uint64_t{0}, scores + 1000000, scores ^ (uint64_t{1} << 63)}) {
        EXPECT_PXL_ERROR(pxl_gguf_array_get(file, bad, 0, &value), PXL_STATUS_INVALID_ARGUMENT, "array_id");
        EXPECT_PXL_ERROR(pxl_gguf_array_copy(file, bad, 0, 1, out, sizeof out), PXL_STATUS_INVALID_ARGUMENT,
                         "array_id");
    }
    // An id from another open file of identical content is refused too: ids are per file.
    const gguf_ptr other = open_file(path_);
    EXPECT_PXL_ERROR(pxl_gguf_array_get(other.get(), scores, 0, &value), PXL_STATUS_INVALID_ARGUMENT,
                     "is no array of this file");
}

TEST_F(ApiGguf, MissingKeysAndTensorsAreNotFound) {
    int64_t index = 0;
    EXPECT_PXL_ERROR(pxl_gguf_metadata_find(file_.get(), "general.name", &index), PXL_STATUS_NOT_FOUND, "general.name");
    EXPECT_EQ(index, -1);
    EXPECT_PXL_ERROR(pxl_gguf_tensor_find(file_.get(), "output.weight", &index), PXL_STATUS_NOT_FOUND, "output.weight");
}

TEST_F(ApiGguf, MetadataValuesComeBackThroughTheAbi) {
    const pxl_gguf* file = file_.get();
    const char* key = nullptr;
    ASSERT_PXL_OK(pxl_gguf_metadata_key(file, 0, &key));
    EXPECT_STREQ(key, "general.architecture");
    const pxl_gguf_value architecture = metadata(file, "general.architecture");
    EXPECT_EQ(architecture.type, PXL_GGUF_TYPE_STRING);
    EXPECT_EQ(text(architecture), "llama");
    const pxl_gguf_value count = metadata(file, "count");
    EXPECT_EQ(count.type, PXL_GGUF_TYPE_UINT32);
    EXPECT_EQ(count.count, 1u);
    EXPECT_EQ(count.uint_value, 7u);
    EXPECT_EQ(count.int_value, 0);
    EXPECT_EQ(count.array_id, 0u);

    const pxl_gguf_value scores = metadata(file, "scores");
    EXPECT_EQ(scores.type, PXL_GGUF_TYPE_ARRAY);
    EXPECT_EQ(scores.element_type, PXL_GGUF_TYPE_FLOAT32);
    ASSERT_EQ(scores.count, 3u);
    float copied[2] = {};
    ASSERT_PXL_OK(pxl_gguf_array_copy(file, scores.array_id, 1, 2, copied, sizeof copied));
    EXPECT_EQ(copied[0], -1.5f);
    EXPECT_EQ(copied[1], 3.25f);
    EXPECT_EQ(element(file, scores.array_id, 2).float_value, 3.25);
    ASSERT_PXL_OK(pxl_gguf_array_copy(file, scores.array_id, 3, 0, nullptr, 0)); // an empty range at the end

    const pxl_gguf_value tokens = metadata(file, "tokens");
    EXPECT_EQ(tokens.element_type, PXL_GGUF_TYPE_STRING);
    EXPECT_EQ(text(element(file, tokens.array_id, 1)), "hello");
    EXPECT_EQ(element(file, tokens.array_id, 2).count, 0u);
}

TEST_F(ApiGguf, ArrayCopyChecksTypeRangeAndBufferSize) {
    const pxl_gguf* file = file_.get();
    const uint64_t scores = metadata(file, "scores").array_id;
    const uint64_t tokens = metadata(file, "tokens").array_id;
    float out[4];
    EXPECT_PXL_ERROR(pxl_gguf_array_copy(file, tokens, 0, 1, out, sizeof out), PXL_STATUS_TYPE_MISMATCH, "string",
                     "pxl_gguf_array_get");
    EXPECT_PXL_ERROR(pxl_gguf_array_copy(file, scores, 2, 2, out, sizeof out), PXL_STATUS_INVALID_ARGUMENT,
                     "out of range");
    EXPECT_PXL_ERROR(pxl_gguf_array_copy(file, scores, ~uint64_t{0}, 2, out, sizeof out), PXL_STATUS_INVALID_ARGUMENT,
                     "out of range");
    EXPECT_PXL_ERROR(pxl_gguf_array_copy(file, scores, 0, 3, out, 11), PXL_STATUS_BUFFER_TOO_SMALL, "dst_bytes is 11");
}

TEST_F(ApiGguf, BoolsStoredAsAnyNonzeroByteReadAsOne) {
    gguf_bytes bytes;
    bytes.header(0, 2)
        .str("flag")
        .u32(bool_type)
        .u8(2)
        .str("flags")
        .u32(array_type)
        .u32(bool_type)
        .u64(3)
        .u8(0)
        .u8(7)
        .u8(1);
    const gguf_ptr file = open_memory(bytes);
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(metadata(file.get(), "flag").uint_value, 1u);
    const uint64_t flags = metadata(file.get(), "flags").array_id;
    uint8_t copied[3] = {9, 9, 9};
    ASSERT_PXL_OK(pxl_gguf_array_copy(file.get(), flags, 0, 3, copied, 3));
    EXPECT_EQ(copied[0], 0);
    EXPECT_EQ(copied[1], 1);
    EXPECT_EQ(copied[2], 1);
    EXPECT_EQ(element(file.get(), flags, 1).uint_value, 1u);
}

TEST_F(ApiGguf, NestedArraysAreWalkedThroughTheirArrayIds) {
    gguf_bytes bytes;
    bytes.header(0, 1).str("nested").u32(array_type).u32(array_type).u64(2);
    bytes.u32(i16_type).u64(2).raw("\xfe\xff\x05\x00", 4); // [-2, 5]
    bytes.u32(string_type).u64(1).str("deep");
    const gguf_ptr file = open_memory(bytes);
    ASSERT_NE(file, nullptr);
    const pxl_gguf_value outer = metadata(file.get(), "nested");
    EXPECT_EQ(outer.element_type, PXL_GGUF_TYPE_ARRAY);
    const pxl_gguf_value shorts = element(file.get(), outer.array_id, 0);
    EXPECT_EQ(shorts.type, PXL_GGUF_TYPE_ARRAY);
    EXPECT_EQ(shorts.element_type, PXL_GGUF_TYPE_INT16);
    EXPECT_EQ(element(file.get(), shorts.array_id, 0).int_value, -2);
    int16_t copied[2] = {};
    ASSERT_PXL_OK(pxl_gguf_array_copy(file.get(), shorts.array_id, 0, 2, copied, sizeof copied));
    EXPECT_EQ(copied[1], 5);
    const pxl_gguf_value strings = element(file.get(), outer.array_id, 1);
    EXPECT_EQ(text(element(file.get(), strings.array_id, 0)), "deep");
}

TEST_F(ApiGguf, TensorInfoAndDimsDescribeEachTensor) {
    for (const sample_tensor& tensor : sample_tensors()) {
        const int64_t index = tensor_index(tensor.name);
        pxl_gguf_tensor_info info{};
        info.struct_size = sizeof info;
        ASSERT_PXL_OK(pxl_gguf_tensor_get_info(file_.get(), index, &info));
        EXPECT_STREQ(info.name, tensor.name);
        EXPECT_EQ(info.type, tensor.type);
        EXPECT_EQ(info.n_dims, static_cast<int32_t>(tensor.dims.size()));
        EXPECT_EQ(info.element_count, element_count(tensor));
        int64_t block_elements = 0, block_bytes = 0;
        ASSERT_PXL_OK(pxl_tensor_type_layout(tensor.type, &block_elements, &block_bytes));
        EXPECT_EQ(info.byte_size,
                  element_count(tensor) / static_cast<uint64_t>(block_elements) * static_cast<uint64_t>(block_bytes));
        EXPECT_EQ(info.file_offset % 32, 0u);
        int64_t dims[PXL_MAX_DIMS] = {};
        ASSERT_PXL_OK(pxl_gguf_tensor_get_dims(file_.get(), index, dims, PXL_MAX_DIMS));
        for (size_t d = 0; d < tensor.dims.size(); ++d) EXPECT_EQ(dims[d], tensor.dims[d]) << tensor.name;
    }
}

TEST_F(ApiGguf, DimsIntoTooSmallAnArrayIsBufferTooSmall) {
    int64_t dims[1];
    EXPECT_PXL_ERROR(pxl_gguf_tensor_get_dims(file_.get(), tensor_index("q8_0"), dims, 1), PXL_STATUS_BUFFER_TOO_SMALL,
                     "capacity is 1", "'q8_0' has 2 dimensions");
}

TEST_F(ApiGguf, RawTensorBytesAreServedZeroCopy) {
    const void* data = nullptr;
    uint64_t size = 0;
    ASSERT_PXL_OK(pxl_gguf_tensor_data(file_.get(), tensor_index("q4_k"), &data, &size));
    ASSERT_EQ(size, q4_k_bytes_.size());
    EXPECT_EQ(std::memcmp(data, q4_k_bytes_.data(), size), 0);
    const void* again = nullptr;
    ASSERT_PXL_OK(pxl_gguf_tensor_data(file_.get(), tensor_index("q4_k"), &again, &size));
    EXPECT_EQ(again, data);
}

// F32 is exact. The other types must give back exactly what the library's own quantize followed by
// dequantize gives (the file holds the quantized bytes, nothing else), and stay within each type's
// bound of the input: F16 2^-11 and BF16 2^-8 relative (half an ulp; plus half the smallest F16
// subnormal); Q8_0 half a step d = amax/127, plus 127 times d's own F16 rounding (2^-11);
// Q4_0 one step d = amax/8 (the top code clamps at 7d), plus d's F16 rounding.
TEST_F(ApiGguf, ReadF32OfEachConvertibleTypeMatchesQuantizeThenDequantize) {
    size_t next = 0;
    for (const sample_tensor& tensor : sample_tensors()) {
        if (tensor.type == PXL_TENSOR_TYPE_Q4_K) continue;
        const std::vector<float>& input = values_[next++];
        std::vector<float> read(input.size());
        ASSERT_PXL_OK(pxl_gguf_tensor_read_f32(file_.get(), tensor_index(tensor.name), read.data(), read.size()));

        pxl_gguf_tensor_info info{};
        info.struct_size = sizeof info;
        ASSERT_PXL_OK(pxl_gguf_tensor_get_info(file_.get(), tensor_index(tensor.name), &info));
        std::vector<uint8_t> encoded(info.byte_size);
        std::vector<float> expected(input.size());
        ASSERT_PXL_OK(pxl_tensor_quantize(tensor.type, input.data(), input.size(), encoded.data(), encoded.size()));
        ASSERT_PXL_OK(
            pxl_tensor_dequantize(tensor.type, encoded.data(), encoded.size(), expected.data(), expected.size()));
        EXPECT_EQ(read, expected) << tensor.name;

        for (size_t block = 0; block < input.size(); block += 32) {
            float amax = 0.0f;
            for (size_t i = block; i < block + 32 && i < input.size(); ++i) amax = std::fmax(amax, std::fabs(input[i]));
            for (size_t i = block; i < block + 32 && i < input.size(); ++i) {
                const float error = std::fabs(read[i] - input[i]);
                switch (tensor.type) {
                case PXL_TENSOR_TYPE_F32: EXPECT_EQ(read[i], input[i]); break;
                case PXL_TENSOR_TYPE_F16: EXPECT_LE(error, std::fabs(input[i]) * 0x1p-11f + 0x1p-25f) << i; break;
                case PXL_TENSOR_TYPE_BF16: EXPECT_LE(error, std::fabs(input[i]) * 0x1p-8f) << i; break;
                case PXL_TENSOR_TYPE_Q8_0: EXPECT_LE(error, amax / 127.0f * (0.5f + 127.0f * 0x1p-11f)) << i; break;
                default: EXPECT_LE(error, amax / 8.0f * (1.0f + 8.0f * 0x1p-11f)) << i; break;
                }
            }
        }
    }
}

TEST_F(ApiGguf, ReadF32OfATypeWithoutAConverterIsUnsupportedNamingTensorAndType) {
    std::vector<float> out(256);
    EXPECT_PXL_ERROR(pxl_gguf_tensor_read_f32(file_.get(), tensor_index("q4_k"), out.data(), out.size()),
                     PXL_STATUS_UNSUPPORTED, "'q4_k'", "type q4_K");
}

TEST_F(ApiGguf, ReadF32IntoTooSmallABufferIsBufferTooSmall) {
    std::vector<float> out(15);
    EXPECT_PXL_ERROR(pxl_gguf_tensor_read_f32(file_.get(), tensor_index("f32"), out.data(), out.size()),
                     PXL_STATUS_BUFFER_TOO_SMALL, "dst_count is 15", "16 elements");
}

} // namespace
