// A `llama` GGUF file binds into llama_hparams + llama_weights, and every way such a file can
// contradict itself is refused with a message naming the key or tensor.
#include "core/error.h"
#include "format/gguf_bytes.h"
#include "model/tiny_llama.h"
#include "model/llama/llama_hparams.h"
#include "model/llama/llama_weights.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace pxl::test {
using namespace ::pxl_test;
namespace {

// Runs `body` and returns the pxl::error it throws (the test fails if it throws none).
error expect_error(const std::function<void()>& body) {
    try {
        body();
    } catch (const error& e) {
        return e;
    }
    ADD_FAILURE() << "no error was thrown";
    return error(PXL_STATUS_OK, "");
}

TEST(LlamaLoading, BindsACompleteFile) {
    scratch_dir dir;
    const auto file = tiny_llama().open(dir);
    const llama_hparams hp = read_llama_hparams(*file);
    EXPECT_EQ(hp.n_vocab, 40);
    EXPECT_EQ(hp.n_embd, 64);
    EXPECT_EQ(hp.n_layer, 2);
    EXPECT_EQ(hp.n_head, 4);
    EXPECT_EQ(hp.n_head_kv, 2);
    EXPECT_EQ(hp.head_dim, 16);
    EXPECT_EQ(hp.n_ff, 96);
    EXPECT_EQ(hp.n_ctx_train, 128);
    EXPECT_FLOAT_EQ(hp.rms_eps, 1e-5f);
    EXPECT_FLOAT_EQ(hp.rope_base, 10000.0f);

    const llama_weights w = bind_llama_weights(*file, hp);
    ASSERT_EQ(w.layers.size(), 2u);
    EXPECT_STREQ(w.layers[1].attn_k.name, "blk.1.attn_k.weight");
    EXPECT_EQ(w.layers[1].attn_k.type, PXL_TENSOR_TYPE_Q4_0);
    EXPECT_EQ(w.layers[1].attn_k.dims[0], 64);
    EXPECT_EQ(w.layers[1].attn_k.rows(), 32);
    EXPECT_EQ(w.layers[0].attn_k.byte_size, 32u * 2 * 18);
    EXPECT_STREQ(w.output.name, "output.weight");
    EXPECT_EQ(w.output.data, file->tensor_data(file->tensor(file->find_tensor("output.weight"))));
}

TEST(LlamaLoading, HeadCountKvDefaultsToHeadCount) {
    tiny_llama model;
    model.metadata.erase("llama.attention.head_count_kv");
    for (int i = 0; i < 2; ++i) {
        model.tensors["blk." + std::to_string(i) + ".attn_k.weight"].dims = {64, 64};
        model.tensors["blk." + std::to_string(i) + ".attn_v.weight"].dims = {64, 64};
    }
    scratch_dir dir;
    EXPECT_EQ(read_llama_hparams(*model.open(dir)).n_head_kv, 4);
}

TEST(LlamaLoading, AFileWithoutOutputWeightTiesItToTheEmbedding) {
    tiny_llama model;
    model.tensors.erase("output.weight");
    scratch_dir dir;
    const auto file = model.open(dir);
    const llama_weights w = bind_llama_weights(*file, read_llama_hparams(*file));
    EXPECT_STREQ(w.output.name, "token_embd.weight");
    EXPECT_EQ(w.output.data, w.token_embd.data);
}

TEST(LlamaLoading, AMissingKeyIsNamed) {
    tiny_llama model;
    model.metadata.erase("llama.block_count");
    scratch_dir dir;
    const auto file = model.open(dir);
    const error e = expect_error([&] { read_llama_hparams(*file); });
    EXPECT_EQ(e.status(), PXL_STATUS_INVALID_FORMAT);
    EXPECT_TRUE(contains(e.what(), "'llama.block_count' is missing")) << e.what();
}

TEST(LlamaLoading, AKeyOfTheWrongTypeIsNamedWithBothTypes) {
    tiny_llama model;
    model.metadata.insert_or_assign("llama.embedding_length", gguf_value::string("64"));
    scratch_dir dir;
    const auto file = model.open(dir);
    const error e = expect_error([&] { read_llama_hparams(*file); });
    EXPECT_EQ(e.status(), PXL_STATUS_INVALID_FORMAT);
    EXPECT_TRUE(contains(e.what(), "'llama.embedding_length' should hold an integer, but holds string")) << e.what();
}

TEST(LlamaLoading, NegativeAndZeroWidthsAreRefused) {
    scratch_dir dir;
    int case_index = 0;
    for (const gguf_value& bad : {gguf_value::i32(-4), gguf_value::u32(0), gguf_value::u64(uint64_t{1} << 40)}) {
        tiny_llama model;
        model.metadata.insert_or_assign("llama.attention.head_count", bad);
        const auto file = model.open(dir, "case" + std::to_string(case_index++) + ".gguf");
        const error e = expect_error([&] { read_llama_hparams(*file); });
        EXPECT_EQ(e.status(), PXL_STATUS_INVALID_FORMAT);
        EXPECT_TRUE(contains(e.what(), "llama.attention.head_count")) << e.what();
    }
}

TEST(LlamaLoading, AnotherArchitectureIsUnsupported) {
    tiny_llama model;
    model.metadata.insert_or_assign("general.architecture", gguf_value::string("qwen2"));
    scratch_dir dir;
    const auto file = model.open(dir);
    const error e = expect_error([&] { read_llama_hparams(*file); });
    EXPECT_EQ(e.status(), PXL_STATUS_UNSUPPORTED);
    EXPECT_TRUE(contains(e.what(), "'qwen2'")) << e.what();
}

TEST(LlamaLoading, InconsistentHeadCountsAreRefused) {
    tiny_llama model;
    model.metadata.insert_or_assign("llama.attention.head_count_kv", gguf_value::u32(3));
    scratch_dir dir;
    const auto file = model.open(dir);
    const error e = expect_error([&] { read_llama_hparams(*file); });
    EXPECT_TRUE(contains(e.what(), "not a multiple of llama.attention.head_count_kv 3")) << e.what();

    tiny_llama indivisible;
    indivisible.metadata.insert_or_assign("llama.attention.head_count", gguf_value::u32(5));
    const auto file2 = indivisible.open(dir, "indivisible.gguf");
    const error e2 = expect_error([&] { read_llama_hparams(*file2); });
    EXPECT_TRUE(contains(e2.what(), "not divisible by llama.attention.head_count 5")) << e2.what();
}

TEST(LlamaLoading, PartialRopeAndRopeScalingAreUnsupported) {
    tiny_llama partial;
    partial.metadata.insert_or_assign("llama.rope.dimension_count", gguf_value::u32(8));
    scratch_dir dir;
    const auto file = partial.open(dir);
    EXPECT_EQ(expect_error([&] { read_llama_hparams(*file); }).status(), PXL_STATUS_UNSUPPORTED);

    tiny_llama scaled;
    scaled.metadata.emplace("llama.rope.scaling.type", gguf_value::string("linear"));
    const auto file2 = scaled.open(dir, "scaled.gguf");
    const error e = expect_error([&] { read_llama_hparams(*file2); });
    EXPECT_EQ(e.status(), PXL_STATUS_UNSUPPORTED);
    EXPECT_TRUE(contains(e.what(), "'linear'")) << e.what();
}

TEST(LlamaLoading, AMissingTensorIsNamed) {
    tiny_llama model;
    model.tensors.erase("blk.1.ffn_up.weight");
    scratch_dir dir;
    const auto file = model.open(dir);
    const error e = expect_error([&] { bind_llama_weights(*file, read_llama_hparams(*file)); });
    EXPECT_EQ(e.status(), PXL_STATUS_INVALID_FORMAT);
    EXPECT_TRUE(contains(e.what(), "'blk.1.ffn_up.weight' is missing")) << e.what();
}

TEST(LlamaLoading, AMisShapedTensorIsNamedWithBothShapes) {
    tiny_llama model;
    model.tensors["blk.0.attn_v.weight"].dims = {64, 64};
    scratch_dir dir;
    const auto file = model.open(dir);
    const error e = expect_error([&] { bind_llama_weights(*file, read_llama_hparams(*file)); });
    EXPECT_EQ(e.status(), PXL_STATUS_INVALID_FORMAT);
    EXPECT_TRUE(contains(e.what(), "'blk.0.attn_v.weight' has shape [64, 64]; the model's hyper-parameters need [64, 32]"))
        << e.what();
}

TEST(LlamaLoading, AVocabularyThatDisagreesWithTheEmbeddingIsRefused) {
    tiny_llama model;
    model.tensors["token_embd.weight"].dims = {64, 41};
    scratch_dir dir;
    const auto file = model.open(dir);
    const error e = expect_error([&] { bind_llama_weights(*file, read_llama_hparams(*file)); });
    EXPECT_TRUE(contains(e.what(), "'token_embd.weight' has shape [64, 41]")) << e.what();
}

TEST(LlamaLoading, AQuantizedNormIsUnsupportedAndNamed) {
    tiny_llama model;
    model.tensors["blk.0.ffn_norm.weight"].type = PXL_TENSOR_TYPE_F16;
    scratch_dir dir;
    const auto file = model.open(dir);
    const error e = expect_error([&] { bind_llama_weights(*file, read_llama_hparams(*file)); });
    EXPECT_EQ(e.status(), PXL_STATUS_UNSUPPORTED);
    EXPECT_TRUE(contains(e.what(), "'blk.0.ffn_norm.weight' has type f16; this weight must be f32")) << e.what();
}

TEST(LlamaLoading, AMatrixOfATypeTheKernelsLackIsUnsupported) {
    tiny_llama model;
    model.tensors["blk.0.ffn_down.weight"] = {PXL_TENSOR_TYPE_I32, {96, 64}};
    scratch_dir dir;
    const auto file = model.open(dir);
    const error e = expect_error([&] { bind_llama_weights(*file, read_llama_hparams(*file)); });
    EXPECT_EQ(e.status(), PXL_STATUS_UNSUPPORTED);
    EXPECT_TRUE(contains(e.what(), "'blk.0.ffn_down.weight' has type i32")) << e.what();
}

} // namespace
} // namespace pxl::test
