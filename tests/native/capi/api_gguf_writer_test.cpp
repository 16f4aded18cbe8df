// The GGUF writing calls of pixellm.h: argument checks, call order, and every setter read back.
#include "capi/abi_helpers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace pxl_test;

const int64_t k_dims_8[] = {8};

TEST(ApiGgufWriter, NullArgumentsAreInvalidArgumentsNamingTheArgument) {
    writer_ptr writer = make_writer();
    pxl_gguf_writer* w = writer.get();
    const float values[8] = {};
    const uint64_t length = 1;
    EXPECT_PXL_ERROR(pxl_gguf_writer_create(nullptr), PXL_STATUS_INVALID_ARGUMENT, "out_writer is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_u8(nullptr, "k", 1), PXL_STATUS_INVALID_ARGUMENT,
                     "pxl_gguf_writer_set_u8: writer is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_f64(w, nullptr, 1.0), PXL_STATUS_INVALID_ARGUMENT,
                     "pxl_gguf_writer_set_f64: key is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_string(w, "k", nullptr, 3), PXL_STATUS_INVALID_ARGUMENT, "value is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_array(w, "k", PXL_GGUF_TYPE_UINT8, nullptr, 3), PXL_STATUS_INVALID_ARGUMENT,
                     "elements is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_string_array(w, "k", nullptr, &length, 1), PXL_STATUS_INVALID_ARGUMENT,
                     "strings is NULL");
    const char* strings[] = {nullptr};
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_string_array(w, "k", strings, nullptr, 1), PXL_STATUS_INVALID_ARGUMENT,
                     "lengths is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_string_array(w, "k", strings, &length, 1), PXL_STATUS_INVALID_ARGUMENT,
                     "string 0 is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_add_tensor(w, nullptr, PXL_TENSOR_TYPE_F32, k_dims_8, 1),
                     PXL_STATUS_INVALID_ARGUMENT, "name is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_add_tensor(w, "t", PXL_TENSOR_TYPE_F32, nullptr, 1), PXL_STATUS_INVALID_ARGUMENT,
                     "dims is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_begin(w, nullptr), PXL_STATUS_INVALID_ARGUMENT, "path is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_write_tensor(nullptr, values, 32), PXL_STATUS_INVALID_ARGUMENT, "writer is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_write_tensor_f32(nullptr, values, 8), PXL_STATUS_INVALID_ARGUMENT,
                     "writer is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_finish(nullptr), PXL_STATUS_INVALID_ARGUMENT, "writer is NULL");
    pxl_gguf_writer_free(nullptr);
}

TEST(ApiGgufWriter, NullDataForATensorIsAnInvalidArgument) {
    scratch_dir dir;
    writer_ptr writer = make_writer();
    ASSERT_PXL_OK(pxl_gguf_writer_add_tensor(writer.get(), "t", PXL_TENSOR_TYPE_F32, k_dims_8, 1));
    ASSERT_PXL_OK(pxl_gguf_writer_begin(writer.get(), dir.file("out.gguf").c_str()));
    EXPECT_PXL_ERROR(pxl_gguf_writer_write_tensor(writer.get(), nullptr, 32), PXL_STATUS_INVALID_ARGUMENT,
                     "data is NULL");
    EXPECT_PXL_ERROR(pxl_gguf_writer_write_tensor_f32(writer.get(), nullptr, 8), PXL_STATUS_INVALID_ARGUMENT,
                     "values is NULL");
}

TEST(ApiGgufWriter, BoolValuesOtherThan0Or1AreInvalidArguments) {
    writer_ptr writer = make_writer();
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_bool(writer.get(), "flag", 2), PXL_STATUS_INVALID_ARGUMENT, "value is 2");
    const uint8_t flags[] = {1, 3};
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_array(writer.get(), "flags", PXL_GGUF_TYPE_BOOL, flags, 2),
                     PXL_STATUS_INVALID_ARGUMENT, "bool element 1 is 3");
}

TEST(ApiGgufWriter, SetArrayTakesOnlyNumericOrBoolElements) {
    writer_ptr writer = make_writer();
    const char* word = "x";
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_array(writer.get(), "k", PXL_GGUF_TYPE_STRING, &word, 1),
                     PXL_STATUS_INVALID_ARGUMENT, "not a numeric or bool type");
    EXPECT_PXL_ERROR(c_host_set_array(writer.get(), 42), PXL_STATUS_INVALID_ARGUMENT, "element type 42");
    EXPECT_PXL_ERROR(c_host_set_array(writer.get(), -1), PXL_STATUS_INVALID_ARGUMENT, "element type -1");
}

TEST(ApiGgufWriter, TensorTypeNumbersOutsideTheEnumAreInvalidArguments) {
    writer_ptr writer = make_writer();
    EXPECT_PXL_ERROR(c_host_add_tensor(writer.get(), 1000), PXL_STATUS_INVALID_ARGUMENT, "unknown tensor type 1000");
    EXPECT_PXL_ERROR(c_host_add_tensor(writer.get(), 4), PXL_STATUS_INVALID_ARGUMENT, "unknown tensor type 4");
}

TEST(ApiGgufWriter, CallsOutOfOrderAreInvalidStateSayingWhatComesFirst) {
    scratch_dir dir;
    writer_ptr writer = make_writer();
    const float values[8] = {};
    ASSERT_PXL_OK(pxl_gguf_writer_add_tensor(writer.get(), "t", PXL_TENSOR_TYPE_F32, k_dims_8, 1));
    EXPECT_PXL_ERROR(pxl_gguf_writer_write_tensor_f32(writer.get(), values, 8), PXL_STATUS_INVALID_STATE,
                     "call begin first");
    EXPECT_PXL_ERROR(pxl_gguf_writer_finish(writer.get()), PXL_STATUS_INVALID_STATE, "call begin first");
    ASSERT_PXL_OK(pxl_gguf_writer_begin(writer.get(), dir.file("out.gguf").c_str()));
    EXPECT_PXL_ERROR(pxl_gguf_writer_set_u32(writer.get(), "late", 1), PXL_STATUS_INVALID_STATE,
                     "begin was already called");
    EXPECT_PXL_ERROR(pxl_gguf_writer_finish(writer.get()), PXL_STATUS_INVALID_STATE, "0 of 1 tensors", "('t') is next");
    ASSERT_PXL_OK(pxl_gguf_writer_write_tensor_f32(writer.get(), values, 8));
    EXPECT_PXL_ERROR(pxl_gguf_writer_write_tensor_f32(writer.get(), values, 8), PXL_STATUS_INVALID_STATE,
                     "call finish");
    ASSERT_PXL_OK(pxl_gguf_writer_finish(writer.get()));
    EXPECT_PXL_ERROR(pxl_gguf_writer_finish(writer.get()), PXL_STATUS_INVALID_STATE, "finished");
}

TEST(ApiGgufWriter, AWrongCountOrSizeIsAnInvalidArgument) {
    scratch_dir dir;
    writer_ptr writer = make_writer();
    const float values[8] = {};
    ASSERT_PXL_OK(pxl_gguf_writer_add_tensor(writer.get(), "t", PXL_TENSOR_TYPE_F32, k_dims_8, 1));
    ASSERT_PXL_OK(pxl_gguf_writer_begin(writer.get(), dir.file("out.gguf").c_str()));
    EXPECT_PXL_ERROR(pxl_gguf_writer_write_tensor_f32(writer.get(), values, 7), PXL_STATUS_INVALID_ARGUMENT,
                     "holds 8 values, got 7");
    EXPECT_PXL_ERROR(pxl_gguf_writer_write_tensor(writer.get(), values, 8), PXL_STATUS_INVALID_ARGUMENT,
                     "holds 32 bytes, got 8");
}

TEST(ApiGgufWriter, BeginInAMissingFolderIsAnIoErrorNamingThePath) {
    scratch_dir dir;
    writer_ptr writer = make_writer();
    const std::string path = dir.file("missing/out.gguf");
    EXPECT_PXL_ERROR(pxl_gguf_writer_begin(writer.get(), path.c_str()), PXL_STATUS_IO_ERROR, path);
}

TEST(ApiGgufWriter, FreeingAnUnfinishedWriterLeavesNoFileBehind) {
    scratch_dir dir;
    writer_ptr writer = make_writer();
    const float values[8] = {};
    ASSERT_PXL_OK(pxl_gguf_writer_add_tensor(writer.get(), "a", PXL_TENSOR_TYPE_F32, k_dims_8, 1));
    ASSERT_PXL_OK(pxl_gguf_writer_add_tensor(writer.get(), "b", PXL_TENSOR_TYPE_F32, k_dims_8, 1));
    ASSERT_PXL_OK(pxl_gguf_writer_begin(writer.get(), dir.file("out.gguf").c_str()));
    ASSERT_PXL_OK(pxl_gguf_writer_write_tensor_f32(writer.get(), values, 8));
    writer.reset();
    EXPECT_TRUE(dir.entries().empty());
}

TEST(ApiGgufWriter, EverySetterIsReadBackWithItsTypeAndValue) {
    scratch_dir dir;
    const std::string path = dir.file("all.gguf");
    {
        writer_ptr writer = make_writer();
        pxl_gguf_writer* w = writer.get();
        ASSERT_PXL_OK(pxl_gguf_writer_set_u8(w, "u8", 255));
        ASSERT_PXL_OK(pxl_gguf_writer_set_i8(w, "i8", -128));
        ASSERT_PXL_OK(pxl_gguf_writer_set_u16(w, "u16", 65535));
        ASSERT_PXL_OK(pxl_gguf_writer_set_i16(w, "i16", -32768));
        ASSERT_PXL_OK(pxl_gguf_writer_set_u32(w, "u32", 0xffffffffu));
        ASSERT_PXL_OK(pxl_gguf_writer_set_i32(w, "i32", INT32_MIN));
        ASSERT_PXL_OK(pxl_gguf_writer_set_u64(w, "u64", UINT64_MAX));
        ASSERT_PXL_OK(pxl_gguf_writer_set_i64(w, "i64", INT64_MIN));
        ASSERT_PXL_OK(pxl_gguf_writer_set_f32(w, "f32", -0.375f));
        ASSERT_PXL_OK(pxl_gguf_writer_set_f64(w, "f64", 1e-300));
        ASSERT_PXL_OK(pxl_gguf_writer_set_bool(w, "bool", 0));
        ASSERT_PXL_OK(pxl_gguf_writer_set_string(w, "string", "h\xc3\xa9llo", 6));
        ASSERT_PXL_OK(pxl_gguf_writer_set_string(w, "empty", nullptr, 0));
        const int64_t longs[] = {-1, 2};
        ASSERT_PXL_OK(pxl_gguf_writer_set_array(w, "longs", PXL_GGUF_TYPE_INT64, longs, 2));
        ASSERT_PXL_OK(pxl_gguf_writer_set_array(w, "none", PXL_GGUF_TYPE_UINT16, nullptr, 0));
        ASSERT_PXL_OK(pxl_gguf_writer_set_string_array(w, "no_strings", nullptr, nullptr, 0));
        ASSERT_PXL_OK(pxl_gguf_writer_set_u8(w, "u8", 7)); // replaced in place
        ASSERT_PXL_OK(pxl_gguf_writer_begin(w, path.c_str()));
        ASSERT_PXL_OK(pxl_gguf_writer_finish(w));
    }
    const gguf_ptr file = open_file(path);
    ASSERT_NE(file, nullptr);
    const pxl_gguf* f = file.get();
    ASSERT_EQ(pxl_gguf_metadata_count(f), 16);
    const char* first = nullptr;
    ASSERT_PXL_OK(pxl_gguf_metadata_key(f, 0, &first));
    EXPECT_STREQ(first, "u8");
    EXPECT_EQ(metadata(f, "u8").uint_value, 7u);
    EXPECT_EQ(metadata(f, "u8").type, PXL_GGUF_TYPE_UINT8);
    EXPECT_EQ(metadata(f, "i8").int_value, -128);
    EXPECT_EQ(metadata(f, "i8").type, PXL_GGUF_TYPE_INT8);
    EXPECT_EQ(metadata(f, "u16").uint_value, 65535u);
    EXPECT_EQ(metadata(f, "i16").int_value, -32768);
    EXPECT_EQ(metadata(f, "u32").uint_value, 0xffffffffu);
    EXPECT_EQ(metadata(f, "i32").int_value, INT32_MIN);
    EXPECT_EQ(metadata(f, "u64").uint_value, UINT64_MAX);
    EXPECT_EQ(metadata(f, "i64").int_value, INT64_MIN);
    EXPECT_EQ(metadata(f, "f32").float_value, -0.375);
    EXPECT_EQ(metadata(f, "f32").type, PXL_GGUF_TYPE_FLOAT32);
    EXPECT_EQ(metadata(f, "f64").float_value, 1e-300);
    EXPECT_EQ(metadata(f, "bool").type, PXL_GGUF_TYPE_BOOL);
    EXPECT_EQ(metadata(f, "bool").uint_value, 0u);
    EXPECT_EQ(text(metadata(f, "string")), "h\xc3\xa9llo");
    EXPECT_EQ(metadata(f, "empty").count, 0u);
    const pxl_gguf_value longs = metadata(f, "longs");
    EXPECT_EQ(longs.element_type, PXL_GGUF_TYPE_INT64);
    EXPECT_EQ(element(f, longs.array_id, 0).int_value, -1);
    EXPECT_EQ(metadata(f, "none").count, 0u);
    EXPECT_EQ(metadata(f, "none").element_type, PXL_GGUF_TYPE_UINT16);
    EXPECT_EQ(metadata(f, "no_strings").element_type, PXL_GGUF_TYPE_STRING);
}

} // namespace
