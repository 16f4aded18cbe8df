// The same LLaMA GGUF file gives the same logits here and in llama.cpp (its CPU build from npm
// @node-llama-cpp/linux-x64, fetched by build.sh). Both sides run the file as it is: our engine
// through the C ABI, llama.cpp through its own C API, loaded at run time.
#include "model/tiny_llama.h"
#include "pixellm.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#ifndef PIXELLM_LLAMA_CPP_DIR
#define PIXELLM_LLAMA_CPP_DIR ""
#endif

namespace pxl::test {
namespace {

// llama.h passes llama_model_params, llama_context_params and llama_batch by value, and their
// layouts change between llama.cpp releases. Instead of mirroring them we hold each as opaque bytes:
// on x86-64 System V a struct larger than 16 bytes is returned through a buffer the caller provides
// and passed by value as a copy on the stack, so a buffer at least as large as the real struct
// carries the library's own defaults (and llama_batch_get_one's result) through unchanged.
struct opaque_struct {
    alignas(16) unsigned char bytes[1024];
};

struct llama_api {
    void* library = nullptr;
    std::string load_error;

    void (*backend_load_all_from_path)(const char*) = nullptr;
    void (*backend_init)() = nullptr;
    void (*log_set)(void (*)(int, const char*, void*), void*) = nullptr;
    opaque_struct (*model_default_params)() = nullptr;
    void* (*model_load_from_file)(const char*, opaque_struct) = nullptr;
    void (*model_free)(void*) = nullptr;
    const void* (*model_get_vocab)(const void*) = nullptr;
    int32_t (*vocab_n_tokens)(const void*) = nullptr;
    opaque_struct (*context_default_params)() = nullptr;
    void* (*init_from_model)(void*, opaque_struct) = nullptr;
    void (*free_context)(void*) = nullptr;
    void (*set_n_threads)(void*, int32_t, int32_t) = nullptr;
    opaque_struct (*batch_get_one)(int32_t*, int32_t) = nullptr;
    int32_t (*decode)(void*, opaque_struct) = nullptr;
    float* (*get_logits_ith)(void*, int32_t) = nullptr;

    template <class Function>
    void bind(void* handle, Function& function, const char* name) {
        function = reinterpret_cast<Function>(dlsym(handle, name));
        if (function == nullptr && load_error.empty()) load_error = std::string("symbol missing: ") + name;
    }

    llama_api() {
        const std::string dir = PIXELLM_LLAMA_CPP_DIR;
        void* ggml = dlopen((dir + "/libggml.v0.5.0.so").c_str(), RTLD_NOW | RTLD_LOCAL);
        library = dlopen((dir + "/libllama.v0.5.0.so").c_str(), RTLD_NOW | RTLD_LOCAL);
        if (ggml == nullptr || library == nullptr) {
            const char* reason = dlerror();
            load_error = "cannot load llama.cpp from " + dir + ": " + (reason ? reason : "unknown") +
                         " (build.sh fetches it from npm @node-llama-cpp/linux-x64)";
            return;
        }
        bind(ggml, backend_load_all_from_path, "ggml_backend_load_all_from_path");
        bind(library, backend_init, "llama_backend_init");
        bind(library, log_set, "llama_log_set");
        bind(library, model_default_params, "llama_model_default_params");
        bind(library, model_load_from_file, "llama_model_load_from_file");
        bind(library, model_free, "llama_model_free");
        bind(library, model_get_vocab, "llama_model_get_vocab");
        bind(library, vocab_n_tokens, "llama_vocab_n_tokens");
        bind(library, context_default_params, "llama_context_default_params");
        bind(library, init_from_model, "llama_init_from_model");
        bind(library, free_context, "llama_free");
        bind(library, set_n_threads, "llama_set_n_threads");
        bind(library, batch_get_one, "llama_batch_get_one");
        bind(library, decode, "llama_decode");
        bind(library, get_logits_ith, "llama_get_logits_ith");
        if (!load_error.empty()) return;
        // The CPU backend is a plugin in this build (one library per CPU generation).
        backend_load_all_from_path(dir.c_str());
        log_set([](int, const char*, void*) {}, nullptr);
        backend_init();
    }

    bool ok() const { return library != nullptr && load_error.empty(); }

    // The last position's logits for `tokens`, or an empty vector with the failure in `why`.
    std::vector<float> last_logits(const std::string& path, std::vector<int32_t> tokens, std::string& why) const {
        void* model = model_load_from_file(path.c_str(), model_default_params());
        if (model == nullptr) {
            why = "llama.cpp could not load " + path;
            return {};
        }
        const int32_t n_vocab = vocab_n_tokens(model_get_vocab(model));
        void* context = init_from_model(model, context_default_params());
        std::vector<float> logits;
        if (context == nullptr) {
            why = "llama.cpp could not create a context";
        } else {
            set_n_threads(context, 2, 2);
            if (decode(context, batch_get_one(tokens.data(), static_cast<int32_t>(tokens.size()))) != 0)
                why = "llama_decode failed";
            else
                logits.assign(get_logits_ith(context, -1), get_logits_ith(context, -1) + n_vocab);
            free_context(context);
        }
        model_free(model);
        return logits;
    }
};

const llama_api& llama() {
    static const llama_api api;
    return api;
}

// The tiny LLaMA of the model tests, with a vocabulary llama.cpp's SentencePiece loader accepts
// (<unk>, <s>, </s>, the 256 byte tokens, a few words) and random weights: in F32, F16, BF16, Q8_0
// and Q4_0 as tiny_llama mixes them, or every matrix in one type.
enum class matrix_types { mixed, f32, quantized };

std::string write_model(const scratch_dir& dir, matrix_types matrices) {
    tiny_llama model;
    for (auto& [name, tensor] : model.tensors) {
        if (tensor.dims.size() != 2) continue;
        if (matrices == matrix_types::f32) tensor.type = PXL_TENSOR_TYPE_F32;
        if (matrices == matrix_types::quantized)
            tensor.type = name.find("attn") != std::string::npos ? PXL_TENSOR_TYPE_Q8_0 : PXL_TENSOR_TYPE_Q4_0;
    }
    std::vector<std::string> pieces = {"<unk>", "<s>", "</s>"};
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        pieces.push_back(name);
    }
    for (const char* word : {"\xe2\x96\x81the", "\xe2\x96\x81" "cat", "\xe2\x96\x81sat", "\xe2\x96\x81on", "\xe2\x96\x81mat"})
        pieces.push_back(word);
    const int64_t n_vocab = static_cast<int64_t>(pieces.size());
    std::vector<const char*> pointers;
    std::vector<uint64_t> lengths;
    std::vector<float> scores;
    std::vector<int32_t> types;
    for (size_t i = 0; i < pieces.size(); ++i) {
        pointers.push_back(pieces[i].c_str());
        lengths.push_back(pieces[i].size());
        scores.push_back(i < 259 ? 0.0f : -static_cast<float>(i));
        types.push_back(i == 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1);
    }
    model.metadata.insert_or_assign("tokenizer.ggml.tokens",
                                    gguf_value::string_array(pointers.data(), lengths.data(), pointers.size()));
    model.metadata.insert_or_assign("tokenizer.ggml.model", gguf_value::string("llama"));
    model.metadata.insert_or_assign("tokenizer.ggml.scores",
                                    gguf_value::numeric_array(PXL_GGUF_TYPE_FLOAT32, scores.data(), scores.size()));
    model.metadata.insert_or_assign("tokenizer.ggml.token_type",
                                    gguf_value::numeric_array(PXL_GGUF_TYPE_INT32, types.data(), types.size()));
    model.tensors["token_embd.weight"].dims = {64, n_vocab};
    model.tensors["output.weight"].dims = {64, n_vocab};
    return model.write(dir, "llama.gguf", 11);
}

std::vector<float> our_last_logits(const std::string& path, const std::vector<int32_t>& tokens) {
    pxl_model* model = nullptr;
    EXPECT_EQ(pxl_model_load(path.c_str(), nullptr, &model), PXL_STATUS_OK) << pxl_last_error();
    pxl_context_params params = pxl_context_default_params();
    params.n_threads = 2;
    params.kv_type = PXL_KV_TYPE_F16;
    pxl_context* context = nullptr;
    EXPECT_EQ(pxl_context_create(model, &params, &context), PXL_STATUS_OK) << pxl_last_error();
    std::vector<int32_t> seqs(tokens.size(), 0), positions(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) positions[i] = static_cast<int32_t>(i);
    pxl_batch batch{};
    batch.struct_size = sizeof batch;
    batch.n_entries = static_cast<int32_t>(tokens.size());
    batch.tokens = tokens.data();
    batch.seq_ids = seqs.data();
    batch.positions = positions.data();
    EXPECT_EQ(pxl_context_decode(context, &batch), PXL_STATUS_OK) << pxl_last_error();
    const float* logits = nullptr;
    EXPECT_EQ(pxl_context_get_logits(context, 0, &logits), PXL_STATUS_OK);
    pxl_model_info info{};
    info.struct_size = sizeof info;
    pxl_model_get_info(model, &info);
    std::vector<float> result(logits, logits + info.n_vocab);
    pxl_context_free(context);
    pxl_model_free(model);
    return result;
}

// Runs both engines on the file and returns the largest logit difference relative to the largest logit.
float relative_difference(const std::string& path) {
    const std::vector<int32_t> tokens = {1, 259, 260, 72, 261, 262, 263, 10, 260};
    std::string why;
    const std::vector<float> theirs = llama().last_logits(path, tokens, why);
    EXPECT_FALSE(theirs.empty()) << why;
    const std::vector<float> ours = our_last_logits(path, tokens);
    EXPECT_EQ(ours.size(), theirs.size());
    if (theirs.empty() || ours.size() != theirs.size()) return 1.0f;

    float range = 0.0f, worst = 0.0f;
    for (size_t i = 0; i < ours.size(); ++i) {
        range = std::max(range, std::fabs(theirs[i]));
        worst = std::max(worst, std::fabs(ours[i] - theirs[i]));
    }
    EXPECT_EQ(std::max_element(ours.begin(), ours.end()) - ours.begin(),
              std::max_element(theirs.begin(), theirs.end()) - theirs.begin())
        << "the greedy token differs";
    return worst / range;
}

// With f32 matrices both engines compute the same function with their KV caches in f16; the
// measured difference, 5.6e-4 of the logits' range, is the size of f16 rounding (2^-11 = 4.9e-4).
TEST(LlamaCppInterop, AnF32FileGivesTheSameLogitsInLlamaCpp) {
    if (!llama().ok()) GTEST_SKIP() << llama().load_error;
    scratch_dir dir;
    const float difference = relative_difference(write_model(dir, matrix_types::f32));
    RecordProperty("relative_logit_difference", std::to_string(difference));
    EXPECT_LT(difference, 2e-3f);
}

// With Q8_0 and Q4_0 matrices both engines quantize activations to Q8_0 before integer block dot
// products. That step is coarse on this tiny random model: with identical weights, Q8_0
// activations alone move our logits by 2.3% of their range against f32 activations (measured). So
// the small upstream differences of the f32 case (llama.cpp's f16 attention) flip some activation
// codes and surface at that scale: measured 1.7-1.9%. 5% still fails on any real mistake.
TEST(LlamaCppInterop, AQuantizedFileGivesCloseLogitsInLlamaCpp) {
    if (!llama().ok()) GTEST_SKIP() << llama().load_error;
    scratch_dir dir;
    const float difference = relative_difference(write_model(dir, matrix_types::quantized));
    RecordProperty("relative_logit_difference", std::to_string(difference));
    EXPECT_LT(difference, 0.05f);
}

// With F16 and BF16 matrices llama.cpp rounds the activations to the weight's type before each dot
// product (BF16 keeps 8 bits of mantissa, ~4e-3 relative per value) where we keep them in f32. Over
// two layers that leaves differences near 1% of the logits' range (measured 0.86%); 3% still fails
// on any real mistake (a wrong RoPE convention or head layout moves logits by their whole range).
TEST(LlamaCppInterop, AMixedTypeFileGivesCloseLogitsInLlamaCpp) {
    if (!llama().ok()) GTEST_SKIP() << llama().load_error;
    scratch_dir dir;
    const float difference = relative_difference(write_model(dir, matrix_types::mixed));
    RecordProperty("relative_logit_difference", std::to_string(difference));
    EXPECT_LT(difference, 0.03f);
}

} // namespace
} // namespace pxl::test
