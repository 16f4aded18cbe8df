#include "model/pixel/two_way_transformer.h"

#include "cpu/attention.h"
#include "cpu/matmul.h"
#include "cpu/row_ops.h"

namespace pxl {

namespace {

cpu::matmul_weights as_matmul(const weight_tensor& w) {
    return {static_cast<pxl_tensor_type>(w.type), w.data, w.dims[1], w.dims[0]};
}

// One attention's inputs, outputs and projection buffers, for n targets.
struct attention_io {
    const float* q_in; // [n][n_q][C]
    int64_t n_q;
    const float* k_in; // [n][n_k][C]
    const float* v_in; // [n][n_k][C]
    int64_t n_k;
    float* q_proj;     // [n][n_q][inner]
    float* k_proj;     // [n][n_k][inner]
    float* v_proj;     // [n][n_k][inner]
    float* attended;   // [n][n_q][inner]
    float* out;        // [n][n_q][C]; may alias q_in (read before out is written)
};

// §8.2: out_proj(softmax(q k^T / sqrt(inner / heads)) v) with q, k, v projected to `inner`; no mask.
void attention(const mask_head_compute& c, const decoder_attention_weights& w, int64_t n, const attention_io& io) {
    mask_head_linear(c, w.q, io.q_in, n * io.n_q, io.q_proj);
    mask_head_linear(c, w.k, io.k_in, n * io.n_k, io.k_proj);
    mask_head_linear(c, w.v, io.v_in, n * io.n_k, io.v_proj);
    const int64_t inner = w.inner;
    for (int64_t t = 0; t < n; ++t) {
        const cpu::attention_args args{io.q_proj + t * io.n_q * inner,
                                       c.zero_positions,
                                       io.n_q,
                                       io.k_proj + t * io.n_k * inner,
                                       io.v_proj + t * io.n_k * inner,
                                       c.zero_positions,
                                       nullptr,
                                       io.n_k,
                                       PXL_TENSOR_TYPE_F32,
                                       c.n_head,
                                       c.n_head,
                                       static_cast<int>(inner / c.n_head),
                                       io.attended + t * io.n_q * inner};
        cpu::attention(c.kernels, c.pool, args);
    }
    mask_head_linear(c, w.out, io.attended, n * io.n_q, io.out);
}

// x [rows][C] = LayerNorm(x + delta)
void add_norm(const mask_head_compute& c, const layer_norm_weights& norm, float eps, float* x, const float* delta,
              int64_t rows, int64_t width) {
    cpu::add(c.kernels, c.pool, x, delta, x, rows * width);
    cpu::layer_norm(c.kernels, c.pool, x, static_cast<const float*>(norm.weight.data),
                    static_cast<const float*>(norm.bias.data), x, rows, width, eps);
}

// keys_pe [n][hw][C] = keys + key_pe (the PE broadcast over targets)
void add_image_pe(const mask_head_compute& c, const two_way_buffers& b, int64_t n, int64_t hw, int64_t width) {
    for (int64_t t = 0; t < n; ++t)
        cpu::add(c.kernels, c.pool, b.keys + t * hw * width, b.key_pe, b.keys_pe + t * hw * width, hw * width);
}

// Token-to-image attention: the tokens (with their PE) ask the image (keys with PE, values without).
attention_io token_to_image(const two_way_buffers& b, int64_t n_tokens, int64_t hw) {
    return {b.tokens_pe, n_tokens, b.keys_pe, b.keys, hw, b.token_q, b.image_a, b.image_b, b.token_attended, b.token_out};
}

} // namespace

void mask_head_linear(const mask_head_compute& c, const linear_weights& w, const float* x, int64_t m, float* y) {
    const cpu::matmul_weights mw = as_matmul(w.weight);
    cpu::matmul(c.kernels, c.pool, mw, x, m, y, c.matmul_workspace);
    cpu::add_bias(c.kernels, c.pool, y, static_cast<const float*>(w.bias.data), m, mw.n);
}

void two_way_transformer(const mask_head_compute& c, const two_way_transformer_weights& w, const decoder_hparams& hp,
                         const two_way_buffers& b, int64_t n, int64_t n_tokens, int64_t hw) {
    const int64_t width = hp.n_embd;
    const float eps = hp.ln_eps;
    const int64_t token_rows = n * n_tokens;
    for (size_t i = 0; i < w.layers.size(); ++i) {
        const two_way_layer_weights& layer = w.layers[i];
        // Self-attention of the tokens; the first layer has no residual and no PE
        // (skip_first_layer_pe).
        if (i == 0) {
            attention(c, layer.self_attn, n,
                      {b.queries, n_tokens, b.queries, b.queries, n_tokens, b.token_q, b.token_k, b.token_v,
                       b.token_attended, b.token_out});
            cpu::layer_norm(c.kernels, c.pool, b.token_out, static_cast<const float*>(layer.norm1.weight.data),
                            static_cast<const float*>(layer.norm1.bias.data), b.queries, token_rows, width, eps);
        } else {
            cpu::add(c.kernels, c.pool, b.queries, b.tokens, b.tokens_pe, token_rows * width);
            attention(c, layer.self_attn, n,
                      {b.tokens_pe, n_tokens, b.tokens_pe, b.queries, n_tokens, b.token_q, b.token_k, b.token_v,
                       b.token_attended, b.token_out});
            add_norm(c, layer.norm1, eps, b.queries, b.token_out, token_rows, width);
        }
        // Tokens attend to the image.
        cpu::add(c.kernels, c.pool, b.queries, b.tokens, b.tokens_pe, token_rows * width);
        add_image_pe(c, b, n, hw, width);
        attention(c, layer.cross_token_to_image, n, token_to_image(b, n_tokens, hw));
        add_norm(c, layer.norm2, eps, b.queries, b.token_out, token_rows, width);
        // MLP on the tokens: lin2(relu(lin1(Qy))).
        mask_head_linear(c, layer.lin1, b.queries, token_rows, b.mlp_hidden);
        cpu::relu(c.kernels, c.pool, b.mlp_hidden, b.mlp_hidden, token_rows * hp.n_ff);
        mask_head_linear(c, layer.lin2, b.mlp_hidden, token_rows, b.token_out);
        add_norm(c, layer.norm3, eps, b.queries, b.token_out, token_rows, width);
        // The image attends to the tokens; K + PE is unchanged since the token-to-image step and its
        // buffer takes the output once the queries are projected from it.
        cpu::add(c.kernels, c.pool, b.queries, b.tokens, b.tokens_pe, token_rows * width);
        attention(c, layer.cross_image_to_token, n,
                  {b.keys_pe, hw, b.tokens_pe, b.queries, n_tokens, b.image_a, b.token_k, b.token_v, b.image_b,
                   b.keys_pe});
        add_norm(c, layer.norm4, eps, b.keys, b.keys_pe, n * hw, width);
    }
    cpu::add(c.kernels, c.pool, b.queries, b.tokens, b.tokens_pe, token_rows * width);
    add_image_pe(c, b, n, hw, width);
    attention(c, w.final_token_to_image, n, token_to_image(b, n_tokens, hw));
    add_norm(c, w.norm_final, eps, b.queries, b.token_out, token_rows, width);
}

} // namespace pxl
