// The LLaMA forward pass through llama_context: invariants that must hold whatever the kernels do
// (batching, splitting, sequences, the KV cache operations, hidden keys, embedding inputs), and a
// batch that is refused leaves every sequence as it was. Numerical parity with the PyTorch
// reference is checked by the parity suite on fixtures; these tests pin the bookkeeping.
#include "core/error.h"
#include "model/llama/llama_context.h"
#include "model/llama/llama_model.h"
#include "model/tiny_llama.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace pxl::test {
namespace {

constexpr int32_t k_vocab = 40;

struct tiny_model_fixture : ::testing::Test {
    scratch_dir dir;
    std::unique_ptr<llama_model> model;

    void SetUp() override { model = llama_model::load(tiny_llama().write(dir, "llama.gguf", 7), true); }

    std::unique_ptr<llama_context> context(int32_t n_seq = 1, int32_t n_batch = 64, int32_t n_ctx = 64,
                                           pxl_kv_type kv = PXL_KV_TYPE_F32, int32_t n_threads = 2) const {
        llama_context_options options;
        options.n_threads = n_threads;
        options.n_ctx = n_ctx;
        options.n_seq = n_seq;
        options.n_batch = n_batch;
        options.kv_type = kv;
        return std::make_unique<llama_context>(*model, options);
    }
};

// A batch built entry by entry; outputs on every entry unless told otherwise.
struct batch_builder {
    std::vector<int32_t> tokens, seq_ids, positions;
    std::vector<int8_t> hidden, outputs;
    std::vector<float> embeddings;
    int32_t width = 0;

    batch_builder& add(int32_t token, int32_t seq, int32_t pos, bool output = true, bool hidden_key = false) {
        tokens.push_back(token);
        seq_ids.push_back(seq);
        positions.push_back(pos);
        outputs.push_back(output ? 1 : 0);
        hidden.push_back(hidden_key ? 1 : 0);
        return *this;
    }
    batch_builder& add_embedding(const std::vector<float>& row, int32_t seq, int32_t pos) {
        embeddings.insert(embeddings.end(), row.begin(), row.end());
        width = static_cast<int32_t>(row.size());
        return add(PXL_TOKEN_EMBEDDING, seq, pos);
    }
    pxl_batch view() const {
        pxl_batch b{};
        b.struct_size = sizeof b;
        b.n_entries = static_cast<int32_t>(tokens.size());
        b.embedding_width = width;
        b.tokens = tokens.data();
        b.embeddings = embeddings.empty() ? nullptr : embeddings.data();
        b.seq_ids = seq_ids.data();
        b.positions = positions.data();
        b.hidden_keys = hidden.data();
        b.outputs = outputs.data();
        return b;
    }
};

std::vector<float> logits_of(const llama_context& ctx, int32_t output) {
    const float* l = ctx.logits(output);
    return std::vector<float>(l, l + k_vocab);
}

void expect_close(const std::vector<float>& a, const std::vector<float>& b, float tolerance, const std::string& what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (size_t i = 0; i < a.size(); ++i)
        ASSERT_NEAR(a[i], b[i], tolerance * (1.0f + std::fabs(a[i]))) << what << " at " << i;
}

const std::vector<int32_t> k_prompt = {1, 17, 4, 33, 9, 25, 2};

TEST_F(tiny_model_fixture, ProducesFiniteLogitsThatDependOnTheInput) {
    auto ctx = context();
    batch_builder b;
    for (int32_t i = 0; i < 3; ++i) b.add(k_prompt[i], 0, i);
    ctx->decode(b.view());
    ASSERT_EQ(ctx->output_count(), 3);
    for (int32_t o = 0; o < 3; ++o)
        for (float value : logits_of(*ctx, o)) ASSERT_TRUE(std::isfinite(value));
    EXPECT_NE(logits_of(*ctx, 0), logits_of(*ctx, 1));
}

// Prefill of the whole prompt in one call, in chunks smaller than the prompt, and token by token
// are the same computation. Row results of the matmul and attention kernels do not depend on how
// rows are grouped, so only the order of summation inside shared kernels could differ: tight bound.
TEST_F(tiny_model_fixture, OneBatchChunksAndTokenByTokenAgree) {
    auto whole = context();
    batch_builder all;
    for (int32_t i = 0; i < 7; ++i) all.add(k_prompt[i], 0, i);
    whole->decode(all.view());

    // n_batch 3 splits the prompt into chunks of 3, 3 and 1; a context keeps at most n_batch
    // outputs per call, so this one asks for three of them.
    auto chunked = context(1, /*n_batch=*/3);
    batch_builder some;
    for (int32_t i = 0; i < 7; ++i) some.add(k_prompt[i], 0, i, /*output=*/i % 2 == 0 && i > 0);
    chunked->decode(some.view());

    auto stepwise = context();
    for (int32_t i = 0; i < 7; ++i) {
        batch_builder one;
        one.add(k_prompt[i], 0, i);
        stepwise->decode(one.view());
        expect_close(logits_of(*whole, i), logits_of(*stepwise, 0), 1e-5f, "step " + std::to_string(i));
        if (i % 2 == 0 && i > 0)
            expect_close(logits_of(*whole, i), logits_of(*chunked, i / 2 - 1), 1e-5f, "chunked " + std::to_string(i));
    }
    EXPECT_EQ(whole->seq_length(0), 7);
    EXPECT_EQ(chunked->seq_length(0), 7);
}

TEST_F(tiny_model_fixture, ResultsDoNotDependOnTheThreadCount) {
    batch_builder all;
    for (int32_t i = 0; i < 7; ++i) all.add(k_prompt[i], 0, i);
    auto one = context(1, 64, 64, PXL_KV_TYPE_F16, 1);
    auto three = context(1, 64, 64, PXL_KV_TYPE_F16, 3);
    one->decode(all.view());
    three->decode(all.view());
    for (int32_t i = 0; i < 7; ++i) EXPECT_EQ(logits_of(*one, i), logits_of(*three, i)) << i;
}

TEST_F(tiny_model_fixture, SequencesInOneBatchDoNotSeeEachOther) {
    auto together = context(2);
    batch_builder b;
    for (int32_t i = 0; i < 4; ++i) b.add(k_prompt[i], 0, i).add(k_prompt[6 - i], 1, i);
    together->decode(b.view());

    for (int32_t seq = 0; seq < 2; ++seq) {
        auto alone = context();
        batch_builder a;
        for (int32_t i = 0; i < 4; ++i) a.add(seq == 0 ? k_prompt[i] : k_prompt[6 - i], 0, i);
        alone->decode(a.view());
        for (int32_t i = 0; i < 4; ++i)
            expect_close(logits_of(*together, 2 * i + seq), logits_of(*alone, i), 1e-5f,
                         "seq " + std::to_string(seq) + " pos " + std::to_string(i));
    }
}

TEST_F(tiny_model_fixture, CopiedAndTruncatedSequencesContinueLikeTheOriginal) {
    auto ctx = context(2);
    batch_builder prefix;
    for (int32_t i = 0; i < 5; ++i) prefix.add(k_prompt[i], 0, i, false);
    ctx->decode(prefix.view());
    ctx->seq_copy(0, 1);
    EXPECT_EQ(ctx->seq_length(1), 5);

    batch_builder next;
    next.add(k_prompt[5], 0, 5).add(k_prompt[5], 1, 5);
    ctx->decode(next.view());
    expect_close(logits_of(*ctx, 0), logits_of(*ctx, 1), 0.0f, "copy continues identically");
    const std::vector<float> first = logits_of(*ctx, 0);

    ctx->seq_truncate(0, 5);
    EXPECT_EQ(ctx->seq_length(0), 5);
    batch_builder again;
    again.add(k_prompt[5], 0, 5);
    ctx->decode(again.view());
    expect_close(logits_of(*ctx, 0), first, 0.0f, "redo after truncate");
}

// A hidden key (PixelLM's padded image tokens) is invisible to every later query, so whatever
// token sits there cannot change what follows; its position is still consumed.
TEST_F(tiny_model_fixture, HiddenKeysDoNotInfluenceLaterPositions) {
    std::vector<std::vector<float>> results;
    for (int32_t filler : {3, 30}) {
        auto ctx = context();
        batch_builder b;
        b.add(1, 0, 0, false).add(filler, 0, 1, false, /*hidden_key=*/true).add(17, 0, 2).add(4, 0, 3);
        ctx->decode(b.view());
        std::vector<float> both = logits_of(*ctx, 0);
        const std::vector<float> last = logits_of(*ctx, 1);
        both.insert(both.end(), last.begin(), last.end());
        results.push_back(both);
    }
    expect_close(results[0], results[1], 1e-6f, "hidden key");

    auto visible = context();
    batch_builder b;
    b.add(1, 0, 0, false).add(30, 0, 1, false).add(17, 0, 2).add(4, 0, 3);
    visible->decode(b.view());
    EXPECT_NE(logits_of(*visible, 0), std::vector<float>(results[1].begin(), results[1].begin() + k_vocab));
}

TEST_F(tiny_model_fixture, AnEmbeddingInputEqualsItsTokensEmbeddingRow) {
    // token_embd is Q8_0 in the tiny model: its dequantized row is exactly what the lookup feeds in.
    const weight_tensor& table = model->weights().token_embd;
    std::vector<float> row(64);
    cpu::to_f32(static_cast<pxl_tensor_type>(table.type),
                static_cast<const uint8_t*>(table.data) + 17 * (64 / 32) * 34, row.data(), 64);

    auto by_token = context();
    batch_builder t;
    t.add(1, 0, 0).add(17, 0, 1).add(4, 0, 2);
    by_token->decode(t.view());
    auto by_embedding = context();
    batch_builder e;
    e.add(1, 0, 0).add_embedding(row, 0, 1).add(4, 0, 2);
    by_embedding->decode(e.view());
    for (int32_t i = 0; i < 3; ++i) expect_close(logits_of(*by_token, i), logits_of(*by_embedding, i), 0.0f, "entry");
}

TEST_F(tiny_model_fixture, HiddenStatesAreTheFinalNormOutput) {
    auto ctx = context();
    batch_builder b;
    b.add(1, 0, 0).add(17, 0, 1);
    ctx->decode(b.view());
    const float* h = ctx->hidden(1);
    double mean_square = 0;
    const float* norm = static_cast<const float*>(model->weights().output_norm.data);
    for (int i = 0; i < 64; ++i) mean_square += std::pow(h[i] / norm[i], 2);
    EXPECT_NEAR(mean_square / 64, 1.0, 1e-3) << "RMSNorm output has unit mean square before the weight";
}

// Each refused batch names its problem and changes nothing: the next valid batch computes what a
// fresh context computes.
TEST_F(tiny_model_fixture, RefusedBatchesLeaveEverySequenceUntouched) {
    auto ctx = context(2, 64, /*n_ctx=*/4);
    batch_builder start;
    start.add(1, 0, 0).add(5, 1, 0);
    ctx->decode(start.view());

    struct bad_case {
        const char* what;
        batch_builder batch;
        pxl_status status;
        const char* message;
    };
    std::vector<bad_case> cases;
    cases.push_back({"token", batch_builder().add(2, 1, 1).add(k_vocab, 0, 1), PXL_STATUS_INVALID_ARGUMENT,
                     "token 40 is outside the vocabulary"});
    cases.push_back({"sequence", batch_builder().add(2, 0, 1).add(2, 2, 0), PXL_STATUS_INVALID_ARGUMENT,
                     "sequence 2 is not a sequence of this context"});
    cases.push_back({"gap", batch_builder().add(2, 0, 2), PXL_STATUS_INVALID_ARGUMENT,
                     "position 2 does not continue sequence 0, whose next position is 1"});
    cases.push_back({"repeat", batch_builder().add(2, 0, 1).add(3, 0, 1), PXL_STATUS_INVALID_ARGUMENT,
                     "does not continue sequence 0"});
    batch_builder wrong_width;
    wrong_width.add(2, 1, 1).add_embedding(std::vector<float>(63, 0.0f), 0, 1);
    cases.push_back({"width", wrong_width, PXL_STATUS_INVALID_ARGUMENT, "embedding_width is 63"});
    cases.push_back({"full", batch_builder().add(2, 0, 1).add(2, 0, 2).add(2, 0, 3).add(2, 0, 4),
                     PXL_STATUS_CONTEXT_FULL, "sequence 0 is full (4 positions)"});

    for (const bad_case& c : cases) {
        try {
            ctx->decode(c.batch.view());
            ADD_FAILURE() << c.what << ": accepted";
        } catch (const error& e) {
            EXPECT_EQ(e.status(), c.status) << c.what;
            EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << c.what << ": " << e.what();
        }
        EXPECT_EQ(ctx->seq_length(0), 1) << c.what;
        EXPECT_EQ(ctx->seq_length(1), 1) << c.what;
    }

    batch_builder next;
    next.add(9, 0, 1).add(9, 1, 1);
    ctx->decode(next.view());
    auto fresh = context(2, 64, 4);
    batch_builder replay;
    replay.add(1, 0, 0).add(5, 1, 0).add(9, 0, 1).add(9, 1, 1);
    fresh->decode(replay.view());
    expect_close(logits_of(*ctx, 0), logits_of(*fresh, 2), 1e-5f, "seq 0 after refusals");
    expect_close(logits_of(*ctx, 1), logits_of(*fresh, 3), 1e-5f, "seq 1 after refusals");
}

TEST_F(tiny_model_fixture, SequenceOperationsCheckTheirArguments) {
    auto ctx = context(2);
    EXPECT_THROW(ctx->seq_length(2), error);
    EXPECT_THROW(ctx->seq_truncate(0, 1), error); // longer than the sequence
    EXPECT_THROW(ctx->seq_copy(0, -1), error);
    EXPECT_THROW(ctx->logits(0), error);           // nothing decoded yet
}

} // namespace
} // namespace pxl::test
