// Interoperability with llama.cpp's own GGUF code (libggml-base from npm @node-llama-cpp/linux-x64,
// fetched by build.sh): files we write must load there, files it writes must load here, and our
// table of tensor types must agree with ggml's. Only the public C ABI of both sides is used.
#include "pixellm.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#ifndef PIXELLM_LLAMA_CPP_DIR
#define PIXELLM_LLAMA_CPP_DIR ""
#endif

namespace {

// The parts of ggml's C ABI (ggml.h, gguf.h) these tests call, declared from its documented signatures.
struct ggml_init_params {
    size_t mem_size;
    void* mem_buffer;
    bool no_alloc;
};
struct gguf_init_params {
    bool no_alloc;
    void** ggml_ctx;
};

struct ggml_api {
    void* library = nullptr;
    std::string load_error;

    void* (*ggml_init)(ggml_init_params) = nullptr;
    void (*ggml_free)(void*) = nullptr;
    void* (*ggml_new_tensor)(void*, int, int, const int64_t*) = nullptr;
    void* (*ggml_set_name)(void*, const char*) = nullptr;
    void* (*ggml_get_data)(const void*) = nullptr;
    size_t (*ggml_nbytes)(const void*) = nullptr;
    int64_t (*ggml_nelements)(const void*) = nullptr;
    void* (*ggml_get_tensor)(void*, const char*) = nullptr;
    int64_t (*ggml_blck_size)(int) = nullptr;
    size_t (*ggml_type_size)(int) = nullptr;
    const char* (*ggml_type_name)(int) = nullptr;

    void* (*gguf_init_empty)() = nullptr;
    void* (*gguf_init_from_file)(const char*, gguf_init_params) = nullptr;
    void (*gguf_free)(void*) = nullptr;
    bool (*gguf_write_to_file)(const void*, const char*, bool) = nullptr;
    uint32_t (*gguf_get_version)(const void*) = nullptr;
    size_t (*gguf_get_alignment)(const void*) = nullptr;
    size_t (*gguf_get_data_offset)(const void*) = nullptr;
    int64_t (*gguf_get_n_kv)(const void*) = nullptr;
    int64_t (*gguf_find_key)(const void*, const char*) = nullptr;
    const char* (*gguf_get_key)(const void*, int64_t) = nullptr;
    int (*gguf_get_kv_type)(const void*, int64_t) = nullptr;
    int (*gguf_get_arr_type)(const void*, int64_t) = nullptr;
    size_t (*gguf_get_arr_n)(const void*, int64_t) = nullptr;
    const void* (*gguf_get_arr_data)(const void*, int64_t) = nullptr;
    const char* (*gguf_get_arr_str)(const void*, int64_t, size_t) = nullptr;
    const void* (*gguf_get_val_data)(const void*, int64_t) = nullptr;
    const char* (*gguf_get_val_str)(const void*, int64_t) = nullptr;
    int64_t (*gguf_get_n_tensors)(const void*) = nullptr;
    int64_t (*gguf_find_tensor)(const void*, const char*) = nullptr;
    size_t (*gguf_get_tensor_offset)(const void*, int64_t) = nullptr;
    int (*gguf_get_tensor_type)(const void*, int64_t) = nullptr;
    size_t (*gguf_get_tensor_size)(const void*, int64_t) = nullptr;
    void (*gguf_set_val_u8)(void*, const char*, uint8_t) = nullptr;
    void (*gguf_set_val_i8)(void*, const char*, int8_t) = nullptr;
    void (*gguf_set_val_u16)(void*, const char*, uint16_t) = nullptr;
    void (*gguf_set_val_i16)(void*, const char*, int16_t) = nullptr;
    void (*gguf_set_val_u32)(void*, const char*, uint32_t) = nullptr;
    void (*gguf_set_val_i32)(void*, const char*, int32_t) = nullptr;
    void (*gguf_set_val_u64)(void*, const char*, uint64_t) = nullptr;
    void (*gguf_set_val_i64)(void*, const char*, int64_t) = nullptr;
    void (*gguf_set_val_f32)(void*, const char*, float) = nullptr;
    void (*gguf_set_val_f64)(void*, const char*, double) = nullptr;
    void (*gguf_set_val_bool)(void*, const char*, bool) = nullptr;
    void (*gguf_set_val_str)(void*, const char*, const char*) = nullptr;
    void (*gguf_set_arr_data)(void*, const char*, int, const void*, size_t) = nullptr;
    void (*gguf_set_arr_str)(void*, const char*, const char**, size_t) = nullptr;
    void (*gguf_add_tensor)(void*, const void*) = nullptr;

    template <class Function>
    void bind(Function& function, const char* name) {
        function = reinterpret_cast<Function>(dlsym(library, name));
        if (function == nullptr && load_error.empty()) load_error = std::string("symbol missing: ") + name;
    }

    ggml_api() {
        const std::string path = std::string(PIXELLM_LLAMA_CPP_DIR) + "/libggml-base.so";
        library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (library == nullptr) {
            const char* reason = dlerror();
            load_error = "cannot load " + path + ": " + (reason != nullptr ? reason : "unknown error") +
                         " (build.sh fetches it from npm @node-llama-cpp/linux-x64)";
            return;
        }
#define PXL_BIND(name) bind(name, #name)
        PXL_BIND(ggml_init); PXL_BIND(ggml_free); PXL_BIND(ggml_new_tensor); PXL_BIND(ggml_set_name);
        PXL_BIND(ggml_get_data); PXL_BIND(ggml_nbytes); PXL_BIND(ggml_nelements); PXL_BIND(ggml_get_tensor);
        PXL_BIND(ggml_blck_size); PXL_BIND(ggml_type_size); PXL_BIND(ggml_type_name);
        PXL_BIND(gguf_init_empty); PXL_BIND(gguf_init_from_file); PXL_BIND(gguf_free); PXL_BIND(gguf_write_to_file);
        PXL_BIND(gguf_get_version); PXL_BIND(gguf_get_alignment); PXL_BIND(gguf_get_data_offset);
        PXL_BIND(gguf_get_n_kv); PXL_BIND(gguf_find_key); PXL_BIND(gguf_get_key); PXL_BIND(gguf_get_kv_type);
        PXL_BIND(gguf_get_arr_type); PXL_BIND(gguf_get_arr_n); PXL_BIND(gguf_get_arr_data); PXL_BIND(gguf_get_arr_str);
        PXL_BIND(gguf_get_val_data); PXL_BIND(gguf_get_val_str); PXL_BIND(gguf_get_n_tensors);
        PXL_BIND(gguf_find_tensor); PXL_BIND(gguf_get_tensor_offset); PXL_BIND(gguf_get_tensor_type);
        PXL_BIND(gguf_get_tensor_size);
        PXL_BIND(gguf_set_val_u8); PXL_BIND(gguf_set_val_i8); PXL_BIND(gguf_set_val_u16); PXL_BIND(gguf_set_val_i16);
        PXL_BIND(gguf_set_val_u32); PXL_BIND(gguf_set_val_i32); PXL_BIND(gguf_set_val_u64); PXL_BIND(gguf_set_val_i64);
        PXL_BIND(gguf_set_val_f32); PXL_BIND(gguf_set_val_f64); PXL_BIND(gguf_set_val_bool); PXL_BIND(gguf_set_val_str);
        PXL_BIND(gguf_set_arr_data); PXL_BIND(gguf_set_arr_str); PXL_BIND(gguf_add_tensor);
#undef PXL_BIND
    }

    bool ok() const { return library != nullptr && load_error.empty(); }
};

const ggml_api& ggml() {
    static const ggml_api api;
    return api;
}

#define REQUIRE_GGML()                                        \
    do {                                                      \
        if (!ggml().ok()) GTEST_SKIP() << ggml().load_error;  \
    } while (0)

std::string temp_path(const char* name) {
    return (std::filesystem::temp_directory_path() / (std::string("pixellm-interop-") + name)).string();
}

// A tensor both sides write: name, type, dims (innermost first) and deterministic stored bytes.
struct sample_tensor {
    const char* name;
    pxl_tensor_type type;
    std::vector<int64_t> dims;
    std::vector<uint8_t> bytes;
};

std::vector<sample_tensor> sample_tensors() {
    std::vector<sample_tensor> tensors = {
        {"token_embd.weight", PXL_TENSOR_TYPE_F32, {7, 3}, {}},
        {"output_norm.weight", PXL_TENSOR_TYPE_F16, {5}, {}},
        {"blk.0.attn_q.weight", PXL_TENSOR_TYPE_BF16, {4, 2, 3}, {}},
        {"blk.0.ffn_up.weight", PXL_TENSOR_TYPE_Q8_0, {64, 2}, {}},
        {"blk.0.ffn_down.weight", PXL_TENSOR_TYPE_Q4_0, {32, 3, 1, 2}, {}},
        {"blk.0.ffn_gate.weight", PXL_TENSOR_TYPE_Q4_K, {256}, {}},
    };
    uint32_t state = 12345;
    for (auto& tensor : tensors) {
        int64_t block_elements = 0, block_bytes = 0;
        pxl_tensor_type_layout(tensor.type, &block_elements, &block_bytes);
        int64_t elements = 1;
        for (int64_t dim : tensor.dims) elements *= dim;
        tensor.bytes.resize(static_cast<size_t>(elements / block_elements * block_bytes));
        for (auto& byte : tensor.bytes) {
            state = state * 1664525u + 1013904223u;
            byte = static_cast<uint8_t>(state >> 24);
        }
    }
    return tensors;
}

int64_t find_tensor(const pxl_gguf* file, const char* name) {
    int64_t index = -1;
    EXPECT_EQ(pxl_gguf_tensor_find(file, name, &index), PXL_STATUS_OK) << name << ": " << pxl_last_error();
    return index;
}

pxl_gguf_value metadata(const pxl_gguf* file, const char* key) {
    pxl_gguf_value value{};
    value.struct_size = sizeof value;
    int64_t index = -1;
    EXPECT_EQ(pxl_gguf_metadata_find(file, key, &index), PXL_STATUS_OK) << key << ": " << pxl_last_error();
    if (index >= 0) EXPECT_EQ(pxl_gguf_metadata_get(file, index, &value), PXL_STATUS_OK) << pxl_last_error();
    return value;
}

} // namespace

TEST(LlamaCppInterop, TensorTypeTableMatchesGgml) {
    REQUIRE_GGML();
    const int ggml_type_count = 40; // GGML_TYPE_COUNT of this ggml build (MXFP4 = 39 is its last type)
    for (int type = 0; type < ggml_type_count; ++type) {
        const int64_t ggml_block = ggml().ggml_blck_size(type);
        int64_t block_elements = 0, block_bytes = 0;
        const pxl_status status = pxl_tensor_type_layout(type, &block_elements, &block_bytes);
        if (ggml_block == 0) { // a retired type id: ggml keeps an empty slot
            EXPECT_EQ(status, PXL_STATUS_UNSUPPORTED) << "type " << type << " is retired in ggml";
            continue;
        }
        ASSERT_EQ(status, PXL_STATUS_OK) << "type " << type << " (" << ggml().ggml_type_name(type) << ") unknown here";
        EXPECT_EQ(block_elements, ggml_block) << "type " << type;
        EXPECT_EQ(static_cast<size_t>(block_bytes), ggml().ggml_type_size(type)) << "type " << type;
        EXPECT_STREQ(pxl_tensor_type_name(type), ggml().ggml_type_name(type)) << "type " << type;
    }
}

TEST(LlamaCppInterop, FileWeWriteLoadsInGgmlWithTheSameContent) {
    REQUIRE_GGML();
    const std::string path = temp_path("ours.gguf");
    const auto tensors = sample_tensors();

    pxl_gguf_writer* writer = nullptr;
    ASSERT_EQ(pxl_gguf_writer_create(&writer), PXL_STATUS_OK) << pxl_last_error();
    ASSERT_EQ(pxl_gguf_writer_set_string(writer, "general.architecture", "llama", 5), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_u32(writer, "general.alignment", 64), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_u8(writer, "test.u8", 200), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_i8(writer, "test.i8", -100), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_u16(writer, "test.u16", 60000), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_i16(writer, "test.i16", -30000), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_i32(writer, "test.i32", -2000000000), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_u64(writer, "test.u64", 0xF123456789ABCDEFull), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_i64(writer, "test.i64", -0x123456789ABCll), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_f32(writer, "test.f32", 1e-6f), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_f64(writer, "test.f64", -2.5e300), PXL_STATUS_OK);
    ASSERT_EQ(pxl_gguf_writer_set_bool(writer, "test.bool", 1), PXL_STATUS_OK);
    const float scores[] = {0.0f, -1.5f, 3.25f};
    ASSERT_EQ(pxl_gguf_writer_set_array(writer, "tokenizer.ggml.scores", PXL_GGUF_TYPE_FLOAT32, scores, 3), PXL_STATUS_OK);
    const char* tokens[] = {"<unk>", "\xe2\x96\x81hello", ""};
    const uint64_t token_lengths[] = {5, 8, 0};
    ASSERT_EQ(pxl_gguf_writer_set_string_array(writer, "tokenizer.ggml.tokens", tokens, token_lengths, 3), PXL_STATUS_OK);
    for (const auto& tensor : tensors)
        ASSERT_EQ(pxl_gguf_writer_add_tensor(writer, tensor.name, tensor.type, tensor.dims.data(),
                                             static_cast<int32_t>(tensor.dims.size())), PXL_STATUS_OK) << pxl_last_error();
    ASSERT_EQ(pxl_gguf_writer_begin(writer, path.c_str()), PXL_STATUS_OK) << pxl_last_error();
    for (const auto& tensor : tensors)
        ASSERT_EQ(pxl_gguf_writer_write_tensor(writer, tensor.bytes.data(), tensor.bytes.size()), PXL_STATUS_OK)
            << pxl_last_error();
    ASSERT_EQ(pxl_gguf_writer_finish(writer), PXL_STATUS_OK) << pxl_last_error();
    pxl_gguf_writer_free(writer);

    void* tensor_context = nullptr;
    void* ctx = ggml().gguf_init_from_file(path.c_str(), gguf_init_params{false, &tensor_context});
    ASSERT_NE(ctx, nullptr) << "ggml rejected a file we wrote";
    EXPECT_EQ(ggml().gguf_get_version(ctx), 3u);
    EXPECT_EQ(ggml().gguf_get_alignment(ctx), 64u);
    EXPECT_EQ(ggml().gguf_get_n_kv(ctx), 14);

    auto value_of = [&](const char* key) { return ggml().gguf_get_val_data(ctx, ggml().gguf_find_key(ctx, key)); };
    EXPECT_STREQ(ggml().gguf_get_val_str(ctx, ggml().gguf_find_key(ctx, "general.architecture")), "llama");
    EXPECT_EQ(*static_cast<const uint8_t*>(value_of("test.u8")), 200);
    EXPECT_EQ(*static_cast<const int8_t*>(value_of("test.i8")), -100);
    EXPECT_EQ(*static_cast<const uint16_t*>(value_of("test.u16")), 60000);
    EXPECT_EQ(*static_cast<const int16_t*>(value_of("test.i16")), -30000);
    EXPECT_EQ(*static_cast<const int32_t*>(value_of("test.i32")), -2000000000);
    EXPECT_EQ(*static_cast<const uint64_t*>(value_of("test.u64")), 0xF123456789ABCDEFull);
    EXPECT_EQ(*static_cast<const int64_t*>(value_of("test.i64")), -0x123456789ABCll);
    EXPECT_EQ(*static_cast<const float*>(value_of("test.f32")), 1e-6f);
    EXPECT_EQ(*static_cast<const double*>(value_of("test.f64")), -2.5e300);
    EXPECT_EQ(*static_cast<const bool*>(value_of("test.bool")), true);
    const int64_t scores_key = ggml().gguf_find_key(ctx, "tokenizer.ggml.scores");
    ASSERT_EQ(ggml().gguf_get_arr_n(ctx, scores_key), 3u);
    EXPECT_EQ(std::memcmp(ggml().gguf_get_arr_data(ctx, scores_key), scores, sizeof scores), 0);
    const int64_t tokens_key = ggml().gguf_find_key(ctx, "tokenizer.ggml.tokens");
    ASSERT_EQ(ggml().gguf_get_arr_n(ctx, tokens_key), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_STREQ(ggml().gguf_get_arr_str(ctx, tokens_key, i), tokens[i]);

    pxl_gguf* ours = nullptr;
    ASSERT_EQ(pxl_gguf_open(path.c_str(), nullptr, &ours), PXL_STATUS_OK) << pxl_last_error();
    EXPECT_EQ(ggml().gguf_get_data_offset(ctx), pxl_gguf_data_offset(ours));
    ASSERT_EQ(ggml().gguf_get_n_tensors(ctx), static_cast<int64_t>(tensors.size()));
    for (const auto& tensor : tensors) {
        const int64_t id = ggml().gguf_find_tensor(ctx, tensor.name);
        ASSERT_GE(id, 0) << tensor.name;
        EXPECT_EQ(ggml().gguf_get_tensor_type(ctx, id), tensor.type) << tensor.name;
        EXPECT_EQ(ggml().gguf_get_tensor_size(ctx, id), tensor.bytes.size()) << tensor.name;
        pxl_gguf_tensor_info info{};
        info.struct_size = sizeof info;
        ASSERT_EQ(pxl_gguf_tensor_get_info(ours, find_tensor(ours, tensor.name), &info), PXL_STATUS_OK);
        EXPECT_EQ(ggml().gguf_get_data_offset(ctx) + ggml().gguf_get_tensor_offset(ctx, id), info.file_offset);
        const void* loaded = ggml().ggml_get_tensor(tensor_context, tensor.name);
        ASSERT_NE(loaded, nullptr) << tensor.name;
        ASSERT_EQ(ggml().ggml_nbytes(loaded), tensor.bytes.size()) << tensor.name;
        EXPECT_EQ(static_cast<uint64_t>(ggml().ggml_nelements(loaded)), info.element_count) << tensor.name;
        EXPECT_EQ(std::memcmp(ggml().ggml_get_data(loaded), tensor.bytes.data(), tensor.bytes.size()), 0) << tensor.name;
    }
    pxl_gguf_free(ours);
    ggml().ggml_free(tensor_context);
    ggml().gguf_free(ctx);
    std::remove(path.c_str());
}

TEST(LlamaCppInterop, FileGgmlWritesLoadsHereWithTheSameContent) {
    REQUIRE_GGML();
    const std::string path = temp_path("ggml.gguf");
    const auto tensors = sample_tensors();

    void* tensor_context = ggml().ggml_init(ggml_init_params{1 << 20, nullptr, false});
    ASSERT_NE(tensor_context, nullptr);
    void* ctx = ggml().gguf_init_empty();
    ggml().gguf_set_val_str(ctx, "general.architecture", "llama");
    ggml().gguf_set_val_u8(ctx, "test.u8", 7);
    ggml().gguf_set_val_i8(ctx, "test.i8", -7);
    ggml().gguf_set_val_u16(ctx, "test.u16", 65535);
    ggml().gguf_set_val_i16(ctx, "test.i16", -32768);
    ggml().gguf_set_val_u32(ctx, "test.u32", 4000000000u);
    ggml().gguf_set_val_i32(ctx, "test.i32", -5);
    ggml().gguf_set_val_u64(ctx, "test.u64", ~0ull);
    ggml().gguf_set_val_i64(ctx, "test.i64", -1);
    ggml().gguf_set_val_f32(ctx, "test.f32", 0.1f);
    ggml().gguf_set_val_f64(ctx, "test.f64", 0.1);
    ggml().gguf_set_val_bool(ctx, "test.bool", false);
    const int32_t types[] = {1, 2, 3, 6};
    ggml().gguf_set_arr_data(ctx, "tokenizer.ggml.token_type", PXL_GGUF_TYPE_INT32, types, 4);
    const char* words[] = {"a", "\xe4\xbd\xa0\xe5\xa5\xbd", "<0x0A>"};
    ggml().gguf_set_arr_str(ctx, "tokenizer.ggml.tokens", words, 3);
    for (const auto& tensor : tensors) {
        void* created = ggml().ggml_new_tensor(tensor_context, tensor.type, static_cast<int>(tensor.dims.size()),
                                               tensor.dims.data());
        ASSERT_NE(created, nullptr) << tensor.name;
        ggml().ggml_set_name(created, tensor.name);
        ASSERT_EQ(ggml().ggml_nbytes(created), tensor.bytes.size()) << tensor.name;
        std::memcpy(ggml().ggml_get_data(created), tensor.bytes.data(), tensor.bytes.size());
        ggml().gguf_add_tensor(ctx, created);
    }
    ASSERT_TRUE(ggml().gguf_write_to_file(ctx, path.c_str(), false));
    ggml().gguf_free(ctx);
    ggml().ggml_free(tensor_context);

    pxl_gguf* file = nullptr;
    ASSERT_EQ(pxl_gguf_open(path.c_str(), nullptr, &file), PXL_STATUS_OK) << pxl_last_error();
    EXPECT_EQ(pxl_gguf_version(file), 3u);
    EXPECT_EQ(pxl_gguf_metadata_count(file), 14);
    const pxl_gguf_value architecture = metadata(file, "general.architecture");
    EXPECT_EQ(std::string(architecture.string_data, architecture.count), "llama");
    EXPECT_EQ(metadata(file, "test.u8").uint_value, 7u);
    EXPECT_EQ(metadata(file, "test.i8").int_value, -7);
    EXPECT_EQ(metadata(file, "test.u16").uint_value, 65535u);
    EXPECT_EQ(metadata(file, "test.i16").int_value, -32768);
    EXPECT_EQ(metadata(file, "test.u32").uint_value, 4000000000u);
    EXPECT_EQ(metadata(file, "test.i32").int_value, -5);
    EXPECT_EQ(metadata(file, "test.u64").uint_value, ~0ull);
    EXPECT_EQ(metadata(file, "test.i64").int_value, -1);
    EXPECT_EQ(metadata(file, "test.f32").float_value, static_cast<double>(0.1f));
    EXPECT_EQ(metadata(file, "test.f64").float_value, 0.1);
    EXPECT_EQ(metadata(file, "test.bool").type, PXL_GGUF_TYPE_BOOL);
    EXPECT_EQ(metadata(file, "test.bool").uint_value, 0u);

    const pxl_gguf_value token_types = metadata(file, "tokenizer.ggml.token_type");
    ASSERT_EQ(token_types.element_type, PXL_GGUF_TYPE_INT32);
    int32_t read_types[4] = {};
    ASSERT_EQ(pxl_gguf_array_copy(file, token_types.array_id, 0, 4, read_types, sizeof read_types), PXL_STATUS_OK);
    EXPECT_EQ(std::memcmp(read_types, types, sizeof types), 0);
    const pxl_gguf_value tokens = metadata(file, "tokenizer.ggml.tokens");
    ASSERT_EQ(tokens.count, 3u);
    for (uint64_t i = 0; i < 3; ++i) {
        pxl_gguf_value word{};
        word.struct_size = sizeof word;
        ASSERT_EQ(pxl_gguf_array_get(file, tokens.array_id, i, &word), PXL_STATUS_OK);
        EXPECT_EQ(std::string(word.string_data, word.count), words[i]);
    }

    ASSERT_EQ(pxl_gguf_tensor_count(file), static_cast<int64_t>(tensors.size()));
    for (const auto& tensor : tensors) {
        const int64_t index = find_tensor(file, tensor.name);
        pxl_gguf_tensor_info info{};
        info.struct_size = sizeof info;
        ASSERT_EQ(pxl_gguf_tensor_get_info(file, index, &info), PXL_STATUS_OK);
        EXPECT_EQ(info.type, tensor.type) << tensor.name;
        ASSERT_EQ(info.n_dims, static_cast<int32_t>(tensor.dims.size())) << tensor.name;
        int64_t dims[PXL_MAX_DIMS] = {};
        ASSERT_EQ(pxl_gguf_tensor_get_dims(file, index, dims, PXL_MAX_DIMS), PXL_STATUS_OK);
        for (size_t d = 0; d < tensor.dims.size(); ++d) EXPECT_EQ(dims[d], tensor.dims[d]) << tensor.name;
        const void* data = nullptr;
        uint64_t size = 0;
        ASSERT_EQ(pxl_gguf_tensor_data(file, index, &data, &size), PXL_STATUS_OK);
        ASSERT_EQ(size, tensor.bytes.size()) << tensor.name;
        EXPECT_EQ(std::memcmp(data, tensor.bytes.data(), size), 0) << tensor.name;
    }
    pxl_gguf_free(file);
    std::remove(path.c_str());
}
