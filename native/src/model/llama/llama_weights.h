// The weights of a LLaMA decoder, bound to the tensors of a `llama` GGUF file (llama.cpp names).
// Shapes are GGUF's, innermost first: a matrix [k, n] holds n rows of k values and maps k inputs to
// n outputs.
#pragma once

#include "format/gguf_file.h"
#include "model/llama/llama_hparams.h"
#include "model/weight_tensor.h"

#include <vector>

namespace pxl {

struct llama_layer_weights {
    weight_tensor attn_norm;   // [n_embd]
    weight_tensor attn_q;      // [n_embd, n_head * head_dim], rows in llama.cpp's RoPE order
    weight_tensor attn_k;      // [n_embd, n_head_kv * head_dim]
    weight_tensor attn_v;      // [n_embd, n_head_kv * head_dim]
    weight_tensor attn_output; // [n_head * head_dim, n_embd]
    weight_tensor ffn_norm;    // [n_embd]
    weight_tensor ffn_gate;    // [n_embd, n_ff]
    weight_tensor ffn_up;      // [n_embd, n_ff]
    weight_tensor ffn_down;    // [n_ff, n_embd]
};

struct llama_weights {
    weight_tensor token_embd;  // [n_embd, n_vocab]
    std::vector<llama_layer_weights> layers;
    weight_tensor output_norm; // [n_embd]
    weight_tensor output;      // [n_embd, n_vocab]; token_embd when the file ties them
};

// Binds every weight and checks its shape and type against the hyper-parameters.
llama_weights bind_llama_weights(const gguf_file& file, const llama_hparams& hp);

} // namespace pxl
