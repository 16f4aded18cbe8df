// pxl::gguf_writer refuses calls out of order and bad declarations, and never leaves a partial file.
#include "format/captured_error.h"
#include "format/gguf_bytes.h"

#include "format/gguf_file.h"
#include "format/gguf_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using pxl::gguf_value;
using pxl_test::capture_error;
using pxl_test::scratch_dir;

const int64_t k_dims_8[] = {8};
const std::vector<uint8_t> k_bytes_32(32, 0x5a); // the stored bytes of an f32 tensor of 8 values

TEST(GgufWriter, WritingATensorBeforeBeginIsInvalidState) {
    pxl::gguf_writer writer;
    writer.add_tensor("t", PXL_TENSOR_TYPE_F32, k_dims_8, 1);
    EXPECT_ERROR(capture_error([&] { writer.write_tensor(k_bytes_32.data(), 32); }), PXL_STATUS_INVALID_STATE,
                 "before begin", "call begin first");
}

TEST(GgufWriter, FinishingBeforeBeginIsInvalidState) {
    pxl::gguf_writer writer;
    EXPECT_ERROR(capture_error([&] { writer.finish(); }), PXL_STATUS_INVALID_STATE, "cannot finish before begin");
}

TEST(GgufWriter, FinishingWithTensorsUnwrittenIsInvalidStateNamingTheNextOne) {
    scratch_dir dir;
    pxl::gguf_writer writer;
    writer.add_tensor("first", PXL_TENSOR_TYPE_F32, k_dims_8, 1);
    writer.add_tensor("second", PXL_TENSOR_TYPE_F32, k_dims_8, 1);
    writer.begin(dir.file("out.gguf"));
    writer.write_tensor(k_bytes_32.data(), 32);
    EXPECT_ERROR(capture_error([&] { writer.finish(); }), PXL_STATUS_INVALID_STATE, "1 of 2 tensors",
                 "tensor 1 ('second') is next");
}

TEST(GgufWriter, WritingMoreTensorsThanDeclaredIsInvalidState) {
    scratch_dir dir;
    pxl::gguf_writer writer;
    writer.add_tensor("only", PXL_TENSOR_TYPE_F32, k_dims_8, 1);
    writer.begin(dir.file("out.gguf"));
    writer.write_tensor(k_bytes_32.data(), 32);
    EXPECT_ERROR(capture_error([&] { writer.write_tensor(k_bytes_32.data(), 32); }), PXL_STATUS_INVALID_STATE,
                 "all 1 declared tensors are written", "call finish");
    writer.finish(); // the refused call changed nothing
}

TEST(GgufWriter, AWrongByteSizeIsInvalidArgumentAndCanBeRetried) {
    scratch_dir dir;
    pxl::gguf_writer writer;
    writer.add_tensor("t", PXL_TENSOR_TYPE_F32, k_dims_8, 1);
    writer.begin(dir.file("out.gguf"));
    EXPECT_ERROR(capture_error([&] { writer.write_tensor(k_bytes_32.data(), 31); }), PXL_STATUS_INVALID_ARGUMENT,
                 "tensor 0 ('t') holds 32 bytes, got 31");
    writer.write_tensor(k_bytes_32.data(), 32);
    writer.finish();
}

TEST(GgufWriter, AWrongValueCountIsInvalidArgument) {
    scratch_dir dir;
    pxl::gguf_writer writer;
    writer.add_tensor("t", PXL_TENSOR_TYPE_F16, k_dims_8, 1);
    writer.begin(dir.file("out.gguf"));
    const std::vector<float> values(7, 1.0f);
    EXPECT_ERROR(capture_error([&] { writer.write_tensor_f32(values.data(), 7); }), PXL_STATUS_INVALID_ARGUMENT,
                 "holds 8 values, got 7");
}

TEST(GgufWriter, ConvertingToATypeWithoutAConverterIsUnsupported) {
    scratch_dir dir;
    pxl::gguf_writer writer;
    const int64_t dims[] = {256};
    writer.add_tensor("k_quant", PXL_TENSOR_TYPE_Q4_K, dims, 1);
    writer.begin(dir.file("out.gguf"));
    const std::vector<float> values(256, 1.0f);
    EXPECT_ERROR(capture_error([&] { writer.write_tensor_f32(values.data(), 256); }), PXL_STATUS_UNSUPPORTED,
                 "tensor 0 ('k_quant') has type q4_K");
}

TEST(GgufWriter, DeclaringATensorTwiceIsInvalidArgument) {
    pxl::gguf_writer writer;
    writer.add_tensor("t", PXL_TENSOR_TYPE_F32, k_dims_8, 1);
    EXPECT_ERROR(capture_error([&] { writer.add_tensor("t", PXL_TENSOR_TYPE_F16, k_dims_8, 1); }),
                 PXL_STATUS_INVALID_ARGUMENT, "tensor 't' is already declared");
}

TEST(GgufWriter, BadTensorDeclarationsAreInvalidArgumentsNamingTheProblem) {
    pxl::gguf_writer writer;
    const int64_t zero[] = {8, 0};
    const int64_t odd_row[] = {33};
    const int64_t five[] = {1, 1, 1, 1, 1};
    EXPECT_ERROR(capture_error([&] { writer.add_tensor("t", PXL_TENSOR_TYPE_F32, zero, 2); }),
                 PXL_STATUS_INVALID_ARGUMENT, "dims[1] is 0");
    EXPECT_ERROR(capture_error([&] { writer.add_tensor("t", PXL_TENSOR_TYPE_Q8_0, odd_row, 1); }),
                 PXL_STATUS_INVALID_ARGUMENT, "not a multiple of the q8_0 block size (32)");
    EXPECT_ERROR(capture_error([&] { writer.add_tensor("t", PXL_TENSOR_TYPE_F32, five, 5); }),
                 PXL_STATUS_INVALID_ARGUMENT, "n_dims is 5");
    EXPECT_ERROR(capture_error([&] { writer.add_tensor("t", PXL_TENSOR_TYPE_F32, five, 0); }),
                 PXL_STATUS_INVALID_ARGUMENT, "n_dims is 0");
    EXPECT_ERROR(capture_error([&] { writer.add_tensor("t", 4, k_dims_8, 1); }), PXL_STATUS_INVALID_ARGUMENT,
                 "unknown tensor type 4");
    EXPECT_ERROR(
        capture_error([&] { writer.add_tensor(std::string_view("a\0b", 3), PXL_TENSOR_TYPE_F32, k_dims_8, 1); }),
        PXL_STATUS_INVALID_ARGUMENT, "NUL");
}

TEST(GgufWriter, DeclaringAfterBeginIsInvalidState) {
    scratch_dir dir;
    pxl::gguf_writer writer;
    writer.begin(dir.file("out.gguf"));
    EXPECT_ERROR(capture_error([&] { writer.set("k", gguf_value::u8(1)); }), PXL_STATUS_INVALID_STATE,
                 "cannot set metadata: begin was already called");
    EXPECT_ERROR(capture_error([&] { writer.add_tensor("t", PXL_TENSOR_TYPE_F32, k_dims_8, 1); }),
                 PXL_STATUS_INVALID_STATE, "cannot add a tensor: begin was already called");
    EXPECT_ERROR(capture_error([&] { writer.begin(dir.file("other.gguf")); }), PXL_STATUS_INVALID_STATE,
                 "cannot begin: begin was already called");
}

TEST(GgufWriter, EveryCallAfterFinishIsInvalidState) {
    scratch_dir dir;
    pxl::gguf_writer writer;
    writer.begin(dir.file("out.gguf"));
    writer.finish();
    EXPECT_ERROR(capture_error([&] { writer.finish(); }), PXL_STATUS_INVALID_STATE, "the file is finished");
    EXPECT_ERROR(capture_error([&] { writer.set("k", gguf_value::u8(1)); }), PXL_STATUS_INVALID_STATE, "finished");
}

TEST(GgufWriter, GeneralAlignmentMustBeAUint32PowerOfTwo) {
    pxl::gguf_writer writer;
    EXPECT_ERROR(capture_error([&] { writer.set("general.alignment", gguf_value::u32(0)); }),
                 PXL_STATUS_INVALID_ARGUMENT, "power of two, got 0");
    EXPECT_ERROR(capture_error([&] { writer.set("general.alignment", gguf_value::u32(48)); }),
                 PXL_STATUS_INVALID_ARGUMENT, "power of two, got 48");
    EXPECT_ERROR(capture_error([&] { writer.set("general.alignment", gguf_value::u64(64)); }),
                 PXL_STATUS_INVALID_ARGUMENT, "must be uint32, got uint64");
    writer.set("general.alignment", gguf_value::u32(64));
    EXPECT_EQ(writer.alignment(), 64u);
}

TEST(GgufWriter, ArraysNestedDeeperThanTheReaderAcceptsAreRefused) {
    gguf_value value = gguf_value::array(PXL_GGUF_TYPE_UINT8, {gguf_value::u8(1)});
    for (int level = 2; level <= 8; ++level) value = gguf_value::array(PXL_GGUF_TYPE_ARRAY, {value});
    EXPECT_EQ(value.array_depth(), 8u);
    EXPECT_ERROR(capture_error([&] { gguf_value::array(PXL_GGUF_TYPE_ARRAY, {value}); }), PXL_STATUS_INVALID_ARGUMENT,
                 "nest 9 levels deep");
}

TEST(GgufWriter, ArrayElementsMustHaveTheDeclaredType) {
    EXPECT_ERROR(capture_error([&] {
                     gguf_value::array(PXL_GGUF_TYPE_UINT8, {gguf_value::u8(1), gguf_value::i8(2)});
                 }),
                 PXL_STATUS_INVALID_ARGUMENT, "element 1 of an array of uint8 is a int8");
    EXPECT_ERROR(capture_error([&] { gguf_value::numeric_array(PXL_GGUF_TYPE_STRING, nullptr, 0); }),
                 PXL_STATUS_INVALID_ARGUMENT, "not a numeric or bool type");
    const uint8_t flags[] = {0, 1, 2};
    EXPECT_ERROR(capture_error([&] { gguf_value::numeric_array(PXL_GGUF_TYPE_BOOL, flags, 3); }),
                 PXL_STATUS_INVALID_ARGUMENT, "bool element 2 is 2");
}

TEST(GgufWriter, AnUnfinishedWriterLeavesNoFileBehind) {
    scratch_dir dir;
    {
        pxl::gguf_writer writer;
        writer.add_tensor("t", PXL_TENSOR_TYPE_F32, k_dims_8, 1);
        writer.begin(dir.file("out.gguf"));
        EXPECT_EQ(dir.entries().size(), 1u); // the temporary file
        writer.write_tensor(k_bytes_32.data(), 32);
    }
    EXPECT_TRUE(dir.entries().empty());
}

TEST(GgufWriter, TheTemporaryFileLiesBesideTheDestination) {
    scratch_dir dir;
    pxl::gguf_writer writer;
    writer.begin(dir.file("out.gguf"));
    ASSERT_EQ(dir.entries().size(), 1u);
    EXPECT_EQ(dir.entries()[0].rfind("out.gguf.partial-", 0), 0u) << dir.entries()[0];
}

TEST(GgufWriter, AFinishedFileReplacesAnExistingOneAndLeavesNothingElse) {
    scratch_dir dir;
    const std::string path = dir.file("model.gguf");
    pxl_test::write_file(path, std::vector<uint8_t>(1000, 0xee));
    {
        pxl::gguf_writer writer;
        writer.set("k", gguf_value::string("new"));
        writer.begin(path);
        // Until finish the old file stays whole: a reader never sees a mix.
        EXPECT_EQ(pxl_test::read_file(path), std::vector<uint8_t>(1000, 0xee));
        writer.finish();
    }
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"model.gguf"});
    pxl::gguf_file file(pxl::file_mapping::map_file(path), {});
    EXPECT_EQ(file.string(file.value(0)), "new");
}

TEST(GgufWriter, BeginInAMissingFolderIsAnIoErrorNamingThePathAndCanBeRetried) {
    scratch_dir dir;
    pxl::gguf_writer writer;
    const std::string missing = dir.file("no/such/folder/out.gguf");
    EXPECT_ERROR(capture_error([&] { writer.begin(missing); }), PXL_STATUS_IO_ERROR, missing,
                 "No such file or directory");
    writer.begin(dir.file("out.gguf"));
    writer.finish();
}

} // namespace
