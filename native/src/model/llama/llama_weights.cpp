#include "model/llama/llama_weights.h"

#include "model/weight_binding.h"

#include <string>

namespace pxl {

llama_weights bind_llama_weights(const gguf_file& file, const llama_hparams& hp) {
    const int64_t q_width = hp.n_head * hp.head_dim;
    const int64_t kv_width = hp.n_head_kv * hp.head_dim;
    llama_weights w;
    w.token_embd = bind_weight(file, "token_embd.weight", {hp.n_embd, hp.n_vocab}, weight_types::matrix);
    w.layers.reserve(static_cast<size_t>(hp.n_layer));
    for (int64_t i = 0; i < hp.n_layer; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        llama_layer_weights layer;
        layer.attn_norm = bind_weight(file, p + "attn_norm.weight", {hp.n_embd}, weight_types::norm);
        layer.attn_q = bind_weight(file, p + "attn_q.weight", {hp.n_embd, q_width}, weight_types::matrix);
        layer.attn_k = bind_weight(file, p + "attn_k.weight", {hp.n_embd, kv_width}, weight_types::matrix);
        layer.attn_v = bind_weight(file, p + "attn_v.weight", {hp.n_embd, kv_width}, weight_types::matrix);
        layer.attn_output = bind_weight(file, p + "attn_output.weight", {q_width, hp.n_embd}, weight_types::matrix);
        layer.ffn_norm = bind_weight(file, p + "ffn_norm.weight", {hp.n_embd}, weight_types::norm);
        layer.ffn_gate = bind_weight(file, p + "ffn_gate.weight", {hp.n_embd, hp.n_ff}, weight_types::matrix);
        layer.ffn_up = bind_weight(file, p + "ffn_up.weight", {hp.n_embd, hp.n_ff}, weight_types::matrix);
        layer.ffn_down = bind_weight(file, p + "ffn_down.weight", {hp.n_ff, hp.n_embd}, weight_types::matrix);
        w.layers.push_back(layer);
    }
    w.output_norm = bind_weight(file, "output_norm.weight", {hp.n_embd}, weight_types::norm);
    // llama.cpp accepts files without output.weight and reuses the embedding (tied weights).
    w.output = bind_optional_weight(file, "output.weight", {hp.n_embd, hp.n_vocab}, weight_types::matrix)
                   .value_or(w.token_embd);
    return w;
}

} // namespace pxl
