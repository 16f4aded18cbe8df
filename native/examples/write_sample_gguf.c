/* Writes a tiny LLaMA-shaped GGUF (one block, width 64, a 262-token vocabulary, random weights in
 * every element type the engine converts) through the public C ABI alone. `./build.sh demo` shows
 * it with `pixellm info`; it is also the smallest complete example of the writer API.
 *
 * usage: write_sample_gguf OUTPUT.gguf */
#include "pixellm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N_EMBD = 64, N_FF = 128, N_HEAD = 4, N_CTX = 256, N_BYTE_TOKENS = 256 };

static const char* const k_words[] = {"\xe2\x96\x81the", "\xe2\x96\x81" "cat", "\xe2\x96\x81mask"};
enum { N_WORDS = sizeof k_words / sizeof k_words[0], N_VOCAB = 3 + N_BYTE_TOKENS + N_WORDS };

typedef struct sample_tensor {
    const char* name;
    pxl_tensor_type type;
    int64_t dims[2];
    int32_t n_dims;
    float fill; /* 0: random weights; otherwise every value equals `fill` (norm weights) */
} sample_tensor;

static const sample_tensor k_tensors[] = {
    {"token_embd.weight", PXL_TENSOR_TYPE_Q8_0, {N_EMBD, N_VOCAB}, 2, 0.0f},
    {"blk.0.attn_norm.weight", PXL_TENSOR_TYPE_F32, {N_EMBD, 1}, 1, 1.0f},
    {"blk.0.attn_q.weight", PXL_TENSOR_TYPE_Q4_0, {N_EMBD, N_EMBD}, 2, 0.0f},
    {"blk.0.attn_k.weight", PXL_TENSOR_TYPE_Q4_0, {N_EMBD, N_EMBD}, 2, 0.0f},
    {"blk.0.attn_v.weight", PXL_TENSOR_TYPE_Q4_0, {N_EMBD, N_EMBD}, 2, 0.0f},
    {"blk.0.attn_output.weight", PXL_TENSOR_TYPE_Q4_0, {N_EMBD, N_EMBD}, 2, 0.0f},
    {"blk.0.ffn_norm.weight", PXL_TENSOR_TYPE_F32, {N_EMBD, 1}, 1, 1.0f},
    {"blk.0.ffn_gate.weight", PXL_TENSOR_TYPE_BF16, {N_EMBD, N_FF}, 2, 0.0f},
    {"blk.0.ffn_up.weight", PXL_TENSOR_TYPE_BF16, {N_EMBD, N_FF}, 2, 0.0f},
    {"blk.0.ffn_down.weight", PXL_TENSOR_TYPE_F16, {N_FF, N_EMBD}, 2, 0.0f},
    {"output_norm.weight", PXL_TENSOR_TYPE_F32, {N_EMBD, 1}, 1, 1.0f},
    {"output.weight", PXL_TENSOR_TYPE_Q8_0, {N_EMBD, N_VOCAB}, 2, 0.0f},
};
enum { N_TENSORS = sizeof k_tensors / sizeof k_tensors[0] };

/* Deterministic uniform values in [-0.1, 0.1): the same file on every machine. */
static float next_weight(uint32_t* state) {
    *state = *state * 1664525u + 1013904223u;
    return ((float)(*state >> 8) / 16777216.0f - 0.5f) * 0.2f;
}

static int fail(const char* what) {
    fprintf(stderr, "write_sample_gguf: %s: %s\n", what, pxl_last_error());
    return 1;
}

static int set_metadata(pxl_gguf_writer* writer) {
    static char byte_names[N_BYTE_TOKENS][7];
    const char* tokens[N_VOCAB];
    uint64_t lengths[N_VOCAB];
    float scores[N_VOCAB];
    int32_t types[N_VOCAB];
    int i;

    tokens[0] = "<unk>"; types[0] = 2; /* unknown */
    tokens[1] = "<s>";   types[1] = 3; /* control */
    tokens[2] = "</s>";  types[2] = 3;
    for (i = 0; i < N_BYTE_TOKENS; ++i) {
        snprintf(byte_names[i], sizeof byte_names[i], "<0x%02X>", i);
        tokens[3 + i] = byte_names[i];
        types[3 + i] = 6; /* byte */
    }
    for (i = 0; i < N_WORDS; ++i) {
        tokens[3 + N_BYTE_TOKENS + i] = k_words[i];
        types[3 + N_BYTE_TOKENS + i] = 1; /* normal */
    }
    for (i = 0; i < N_VOCAB; ++i) {
        lengths[i] = strlen(tokens[i]);
        scores[i] = i < 3 + N_BYTE_TOKENS ? 0.0f : (float)-i;
    }

    if (pxl_gguf_writer_set_string(writer, "general.architecture", "llama", 5) ||
        pxl_gguf_writer_set_string(writer, "general.name", "pixellm-sample", 14) ||
        pxl_gguf_writer_set_u32(writer, "llama.context_length", N_CTX) ||
        pxl_gguf_writer_set_u32(writer, "llama.embedding_length", N_EMBD) ||
        pxl_gguf_writer_set_u32(writer, "llama.feed_forward_length", N_FF) ||
        pxl_gguf_writer_set_u32(writer, "llama.block_count", 1) ||
        pxl_gguf_writer_set_u32(writer, "llama.attention.head_count", N_HEAD) ||
        pxl_gguf_writer_set_u32(writer, "llama.attention.head_count_kv", N_HEAD) ||
        pxl_gguf_writer_set_u32(writer, "llama.rope.dimension_count", N_EMBD / N_HEAD) ||
        pxl_gguf_writer_set_f32(writer, "llama.attention.layer_norm_rms_epsilon", 1e-6f) ||
        pxl_gguf_writer_set_string(writer, "tokenizer.ggml.model", "llama", 5) ||
        pxl_gguf_writer_set_string_array(writer, "tokenizer.ggml.tokens", tokens, lengths, N_VOCAB) ||
        pxl_gguf_writer_set_array(writer, "tokenizer.ggml.scores", PXL_GGUF_TYPE_FLOAT32, scores, N_VOCAB) ||
        pxl_gguf_writer_set_array(writer, "tokenizer.ggml.token_type", PXL_GGUF_TYPE_INT32, types, N_VOCAB) ||
        pxl_gguf_writer_set_u32(writer, "tokenizer.ggml.bos_token_id", 1) ||
        pxl_gguf_writer_set_u32(writer, "tokenizer.ggml.eos_token_id", 2) ||
        pxl_gguf_writer_set_u32(writer, "tokenizer.ggml.unknown_token_id", 0))
        return fail("setting metadata");
    return 0;
}

static int write_tensors(pxl_gguf_writer* writer, const char* path) {
    uint32_t state = 42;
    float* values = NULL;
    int i;

    for (i = 0; i < N_TENSORS; ++i)
        if (pxl_gguf_writer_add_tensor(writer, k_tensors[i].name, k_tensors[i].type, k_tensors[i].dims,
                                       k_tensors[i].n_dims))
            return fail(k_tensors[i].name);
    if (pxl_gguf_writer_begin(writer, path)) return fail("writing the header");

    values = malloc(sizeof(float) * N_EMBD * N_VOCAB);
    if (values == NULL) return fail("allocating");
    for (i = 0; i < N_TENSORS; ++i) {
        const sample_tensor* tensor = &k_tensors[i];
        const uint64_t count = (uint64_t)tensor->dims[0] * (tensor->n_dims > 1 ? (uint64_t)tensor->dims[1] : 1);
        uint64_t j;
        for (j = 0; j < count; ++j) values[j] = tensor->fill != 0.0f ? tensor->fill : next_weight(&state);
        if (pxl_gguf_writer_write_tensor_f32(writer, values, count)) {
            free(values);
            return fail(tensor->name);
        }
    }
    free(values);
    return pxl_gguf_writer_finish(writer) ? fail("finishing") : 0;
}

int main(int argc, char** argv) {
    pxl_gguf_writer* writer = NULL;
    int result;
    if (argc != 2) {
        fprintf(stderr, "usage: write_sample_gguf OUTPUT.gguf\n");
        return 2;
    }
    if (pxl_gguf_writer_create(&writer)) return fail("creating the writer");
    result = set_metadata(writer);
    if (result == 0) result = write_tensors(writer, argv[1]);
    pxl_gguf_writer_free(writer); /* removes the partial file if anything failed */
    if (result == 0) printf("wrote %s: %d tensors, vocabulary of %d\n", argv[1], N_TENSORS, N_VOCAB);
    return result;
}
