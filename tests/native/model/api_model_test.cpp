// The C ABI of models and contexts: argument checks, statuses and messages, and a decode through it.
#include "model/tiny_llama.h"
#include "pixellm.h"

#include <gtest/gtest.h>

#include <string>

namespace pxl::test {
namespace {

bool last_error_contains(const std::string& part) { return std::string(pxl_last_error()).find(part) != std::string::npos; }

struct api_model_fixture : ::testing::Test {
    scratch_dir dir;
    pxl_model* model = nullptr;

    void SetUp() override {
        const std::string path = tiny_llama().write(dir, "llama.gguf", 3);
        ASSERT_EQ(pxl_model_load(path.c_str(), nullptr, &model), PXL_STATUS_OK) << pxl_last_error();
    }
    void TearDown() override { pxl_model_free(model); }
};

TEST_F(api_model_fixture, ReportsTheHyperParameters) {
    pxl_model_info info{};
    info.struct_size = sizeof info;
    ASSERT_EQ(pxl_model_get_info(model, &info), PXL_STATUS_OK);
    EXPECT_EQ(info.n_vocab, 40);
    EXPECT_EQ(info.n_embd, 64);
    EXPECT_EQ(info.n_layer, 2);
    EXPECT_EQ(info.n_head, 4);
    EXPECT_EQ(info.n_head_kv, 2);
    EXPECT_EQ(info.n_ff, 96);
    EXPECT_EQ(info.n_ctx_train, 128);
    info.struct_size = 8;
    EXPECT_EQ(pxl_model_get_info(model, &info), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(last_error_contains("out_info->struct_size is 8"));
}

TEST_F(api_model_fixture, DecodesAndHandsOutLogitsAndHiddenStates) {
    pxl_context* context = nullptr;
    pxl_context_params params = pxl_context_default_params();
    params.n_threads = 2;
    params.n_ctx = 16;
    ASSERT_EQ(pxl_context_create(model, &params, &context), PXL_STATUS_OK) << pxl_last_error();

    const int32_t tokens[] = {1, 17, 4};
    const int32_t seqs[] = {0, 0, 0};
    const int32_t positions[] = {0, 1, 2};
    pxl_batch batch{};
    batch.struct_size = sizeof batch;
    batch.n_entries = 3;
    batch.tokens = tokens;
    batch.seq_ids = seqs;
    batch.positions = positions;
    ASSERT_EQ(pxl_context_decode(context, &batch), PXL_STATUS_OK) << pxl_last_error();
    EXPECT_EQ(pxl_context_output_count(context), 1); // outputs NULL: only the last entry

    const float* logits = nullptr;
    const float* hidden = nullptr;
    EXPECT_EQ(pxl_context_get_logits(context, 0, &logits), PXL_STATUS_OK);
    EXPECT_NE(logits, nullptr);
    EXPECT_EQ(pxl_context_get_hidden(context, 0, &hidden), PXL_STATUS_OK);
    EXPECT_NE(hidden, nullptr);
    EXPECT_EQ(pxl_context_get_logits(context, 1, &logits), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(last_error_contains("output 1 does not exist; the last decode kept 1"));
    EXPECT_EQ(logits, nullptr);

    int32_t length = -1;
    EXPECT_EQ(pxl_context_seq_length(context, 0, &length), PXL_STATUS_OK);
    EXPECT_EQ(length, 3);
    EXPECT_EQ(pxl_context_seq_truncate(context, 0, 1), PXL_STATUS_OK);
    EXPECT_EQ(pxl_context_seq_length(context, 0, &length), PXL_STATUS_OK);
    EXPECT_EQ(length, 1);
    EXPECT_EQ(pxl_context_seq_copy(context, 0, 1), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(last_error_contains("dst_seq 1 is not a sequence of this context (0..0)"));
    pxl_context_free(context);
}

TEST_F(api_model_fixture, AFullSequenceIsItsOwnStatus) {
    pxl_context* context = nullptr;
    pxl_context_params params = pxl_context_default_params();
    params.n_ctx = 2;
    ASSERT_EQ(pxl_context_create(model, &params, &context), PXL_STATUS_OK);
    const int32_t tokens[] = {1, 2, 3};
    const int32_t seqs[] = {0, 0, 0};
    const int32_t positions[] = {0, 1, 2};
    pxl_batch batch{};
    batch.struct_size = sizeof batch;
    batch.n_entries = 3;
    batch.tokens = tokens;
    batch.seq_ids = seqs;
    batch.positions = positions;
    EXPECT_EQ(pxl_context_decode(context, &batch), PXL_STATUS_CONTEXT_FULL);
    EXPECT_STREQ(pxl_status_name(PXL_STATUS_CONTEXT_FULL), "context_full");
    pxl_context_free(context);
}

TEST_F(api_model_fixture, ContextParamsAreChecked) {
    struct bad {
        void (*edit)(pxl_context_params&);
        const char* message;
    };
    const bad cases[] = {
        {[](pxl_context_params& p) { p.n_threads = -1; }, "params->n_threads is -1"},
        {[](pxl_context_params& p) { p.n_ctx = -5; }, "params->n_ctx is -5"},
        {[](pxl_context_params& p) { p.n_seq = 0; }, "params->n_seq is 0"},
        {[](pxl_context_params& p) { p.n_batch = 0; }, "params->n_batch is 0"},
        {[](pxl_context_params& p) { p.kv_type = static_cast<pxl_kv_type>(7); }, "params->kv_type is 7"},
        {[](pxl_context_params& p) { p.struct_size = 4; }, "params->struct_size is 4"},
    };
    for (const bad& c : cases) {
        pxl_context_params params = pxl_context_default_params();
        c.edit(params);
        pxl_context* context = reinterpret_cast<pxl_context*>(0x1);
        EXPECT_EQ(pxl_context_create(model, &params, &context), PXL_STATUS_INVALID_ARGUMENT) << c.message;
        EXPECT_TRUE(last_error_contains(c.message)) << pxl_last_error();
        EXPECT_EQ(context, nullptr);
    }
}

TEST(ApiModel, NullArgumentsAndBadFilesAreNamed) {
    pxl_model* model = reinterpret_cast<pxl_model*>(0x1);
    EXPECT_EQ(pxl_model_load(nullptr, nullptr, &model), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(last_error_contains("llm_path is NULL"));
    EXPECT_EQ(model, nullptr);
    EXPECT_EQ(pxl_model_load("x.gguf", nullptr, nullptr), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(pxl_model_load("/nonexistent/pixellm-model.gguf", nullptr, &model), PXL_STATUS_IO_ERROR);
    EXPECT_TRUE(last_error_contains("pixellm-model.gguf"));
    EXPECT_EQ(pxl_context_decode(nullptr, nullptr), PXL_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(pxl_context_output_count(nullptr), 0);
    pxl_model_free(nullptr);
    pxl_context_free(nullptr);
}

TEST(ApiModel, AFileThatIsNotALlamaIsRefusedNamingTheFile) {
    scratch_dir dir;
    tiny_llama other;
    other.metadata.insert_or_assign("general.architecture", gguf_value::string("pixellm"));
    const std::string path = other.write(dir);
    pxl_model* model = nullptr;
    EXPECT_EQ(pxl_model_load(path.c_str(), nullptr, &model), PXL_STATUS_UNSUPPORTED);
    EXPECT_TRUE(last_error_contains("'pixellm'"));
    EXPECT_TRUE(last_error_contains(path));
}

} // namespace
} // namespace pxl::test
