// Hyper-parameters of a LLaMA decoder (spec §6.1), read from the metadata of a `llama` GGUF file in
// llama.cpp's key layout.
#pragma once

#include "format/gguf_file.h"

#include <cstdint>

namespace pxl {

struct llama_hparams {
    int64_t n_vocab = 0;     // rows of token_embd / output
    int64_t n_embd = 0;      // D, the residual width
    int64_t n_layer = 0;
    int64_t n_head = 0;
    int64_t n_head_kv = 0;   // < n_head for grouped-query attention
    int64_t head_dim = 0;    // n_embd / n_head
    int64_t n_ff = 0;        // SwiGLU width
    int64_t n_ctx_train = 0; // positions the model was trained for
    float rms_eps = 1e-6f;
    float rope_base = 10000.0f;
};

// Reads and validates: general.architecture must be "llama"; widths positive; n_embd divisible by
// n_head, n_head by n_head_kv; even head_dim; RoPE over the whole head without scaling.
// INVALID_FORMAT or UNSUPPORTED naming the key otherwise.
llama_hparams read_llama_hparams(const gguf_file& file);

} // namespace pxl
