#include "model/llama/llama_forward.h"

#include "core/error.h"
#include "cpu/attention.h"
#include "cpu/convert.h"
#include "cpu/embedding.h"
#include "cpu/kernels.h"
#include "cpu/matmul.h"
#include "cpu/rope.h"
#include "cpu/row_ops.h"

#include <algorithm>
#include <cstring>

namespace pxl {

namespace {

aligned_buffer floats(int64_t rows, int64_t width) {
    return aligned_buffer(static_cast<size_t>(rows) * static_cast<size_t>(width) * sizeof(float));
}

cpu::matmul_weights as_matmul(const weight_tensor& w) {
    if (w.packed != nullptr)
        return {static_cast<pxl_tensor_type>(w.type), w.packed, w.rows(), w.dims[0], cpu::weight_layout::x8};
    return {static_cast<pxl_tensor_type>(w.type), w.data, w.rows(), w.dims[0]};
}

// The largest workspace any of the model's matrices needs for n_batch rows.
size_t workspace_bytes(const llama_weights& w, int64_t n_batch) {
    size_t bytes = 0;
    auto consider = [&](const weight_tensor& t) {
        bytes = std::max(bytes, cpu::matmul_workspace_bytes(static_cast<pxl_tensor_type>(t.type), n_batch, t.dims[0]));
    };
    for (const llama_layer_weights& layer : w.layers)
        for (const weight_tensor* t : {&layer.attn_q, &layer.attn_k, &layer.attn_v, &layer.attn_output, &layer.ffn_gate,
                                       &layer.ffn_up, &layer.ffn_down})
            consider(*t);
    consider(w.output);
    return bytes;
}

// y [m][rows of w] = x [m][k] * w^T
void linear(const cpu::kernel_table& kernels, thread_pool& pool, llama_scratch& scratch, const weight_tensor& w,
            const float* x, int64_t m, float* y) {
    cpu::matmul(kernels, pool, as_matmul(w), x, m, y, scratch.matmul_workspace.data());
}

} // namespace

llama_scratch::llama_scratch(const llama_model& model, int32_t n_batch)
    : x(floats(n_batch, model.hparams().n_embd)), xn(floats(n_batch, model.hparams().n_embd)),
      q(floats(n_batch, model.hparams().n_head * model.hparams().head_dim)),
      k(floats(n_batch, model.hparams().n_head_kv * model.hparams().head_dim)),
      v(floats(n_batch, model.hparams().n_head_kv * model.hparams().head_dim)),
      attention(floats(n_batch, model.hparams().n_head * model.hparams().head_dim)),
      gate(floats(n_batch, model.hparams().n_ff)), up(floats(n_batch, model.hparams().n_ff)),
      matmul_workspace(workspace_bytes(model.weights(), n_batch)),
      seq_q(floats(n_batch, model.hparams().n_head * model.hparams().head_dim)),
      seq_attention(floats(n_batch, model.hparams().n_head * model.hparams().head_dim)),
      seq_positions(static_cast<size_t>(n_batch)), order(static_cast<size_t>(n_batch)) {}

void llama_forward(const llama_model& model, kv_cache& cache, llama_scratch& s, thread_pool& pool,
                   const llama_chunk& chunk, float* logits, float* hidden) {
    const llama_hparams& hp = model.hparams();
    const llama_weights& w = model.weights();
    const cpu::kernel_table& kernels = cpu::active_kernels();
    const int64_t n = chunk.n_entries;
    const int64_t d = hp.n_embd;
    const int64_t q_width = hp.n_head * hp.head_dim;
    const int64_t kv_width = hp.n_head_kv * hp.head_dim;
    const pxl_tensor_type cache_type = cache.type() == PXL_KV_TYPE_F16 ? PXL_TENSOR_TYPE_F16 : PXL_TENSOR_TYPE_F32;

    float* x = s.x.data_as<float>();           // [n][d]
    float* xn = s.xn.data_as<float>();         // [n][d]
    float* q = s.q.data_as<float>();           // [n][q_width]
    float* k = s.k.data_as<float>();           // [n][kv_width]
    float* v = s.v.data_as<float>();           // [n][kv_width]
    float* attention = s.attention.data_as<float>(); // [n][q_width]
    float* gate = s.gate.data_as<float>();     // [n][n_ff]
    float* up = s.up.data_as<float>();         // [n][n_ff]

    // Inputs: token embeddings, or the caller's rows (PixelLM's image tokens, spec §5.4).
    for (int64_t i = 0; i < n; ++i) {
        if (chunk.embeddings[i] != nullptr)
            std::memcpy(x + i * d, chunk.embeddings[i], static_cast<size_t>(d) * sizeof(float));
        else
            cpu::embedding_lookup(kernels, static_cast<pxl_tensor_type>(w.token_embd.type), w.token_embd.data,
                                  hp.n_vocab, d, chunk.tokens + i, 1, x + i * d);
        cache.set_hidden(chunk.seq_ids[i], chunk.positions[i], chunk.hidden_keys != nullptr && chunk.hidden_keys[i] != 0);
    }

    // Entries grouped by sequence (stable, so each group keeps its positions in order): attention
    // runs once per sequence over that sequence's cache.
    int32_t* order = s.order.data();
    for (int32_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order, order + n, [&](int32_t a, int32_t b) { return chunk.seq_ids[a] < chunk.seq_ids[b]; });

    for (int64_t layer = 0; layer < hp.n_layer; ++layer) {
        const llama_layer_weights& lw = w.layers[static_cast<size_t>(layer)];

        // Attention block: x += o_proj(Attn(RMSNorm(x)))
        cpu::rms_norm(kernels, pool, x, static_cast<const float*>(lw.attn_norm.data), xn, n, d, hp.rms_eps);
        linear(kernels, pool, s, lw.attn_q, xn, n, q);
        linear(kernels, pool, s, lw.attn_k, xn, n, k);
        linear(kernels, pool, s, lw.attn_v, xn, n, v);
        cpu::rope_norm(pool, q, n, static_cast<int>(hp.n_head), static_cast<int>(hp.head_dim), chunk.positions,
                       hp.rope_base);
        cpu::rope_norm(pool, k, n, static_cast<int>(hp.n_head_kv), static_cast<int>(hp.head_dim), chunk.positions,
                       hp.rope_base);
        for (int64_t i = 0; i < n; ++i) {
            cpu::from_f32(cache_type, k + i * kv_width, cache.key_row(layer, chunk.seq_ids[i], chunk.positions[i]), kv_width);
            cpu::from_f32(cache_type, v + i * kv_width, cache.value_row(layer, chunk.seq_ids[i], chunk.positions[i]), kv_width);
        }
        for (int64_t begin = 0; begin < n;) {
            const int32_t seq = chunk.seq_ids[order[begin]];
            int64_t end = begin;
            while (end < n && chunk.seq_ids[order[end]] == seq) ++end;
            const int64_t n_q = end - begin;
            float* seq_q = s.seq_q.data_as<float>();
            float* seq_out = s.seq_attention.data_as<float>();
            for (int64_t j = 0; j < n_q; ++j) {
                const int32_t entry = order[begin + j];
                std::memcpy(seq_q + j * q_width, q + entry * q_width, static_cast<size_t>(q_width) * sizeof(float));
                s.seq_positions[static_cast<size_t>(j)] = chunk.positions[entry];
            }
            cpu::attention_args args{};
            args.q = seq_q;
            args.pos_q = s.seq_positions.data();
            args.n_q = n_q;
            args.k = cache.key_row(layer, seq, 0);
            args.v = cache.value_row(layer, seq, 0);
            args.pos_k = cache.positions();
            args.key_masked = cache.hidden_key_bits(seq);
            args.n_kv = s.seq_positions[static_cast<size_t>(n_q - 1)] + 1; // the chunk continues the sequence
            args.kv_type = cache_type;
            args.n_head = static_cast<int>(hp.n_head);
            args.n_head_kv = static_cast<int>(hp.n_head_kv);
            args.head_size = static_cast<int>(hp.head_dim);
            args.out = seq_out;
            cpu::attention(kernels, pool, args);
            for (int64_t j = 0; j < n_q; ++j)
                std::memcpy(attention + order[begin + j] * q_width, seq_out + j * q_width,
                            static_cast<size_t>(q_width) * sizeof(float));
            begin = end;
        }
        linear(kernels, pool, s, lw.attn_output, attention, n, xn);
        cpu::add(kernels, pool, x, xn, x, n * d);

        // MLP block: x += down(silu(gate(y)) * up(y)), y = RMSNorm(x)
        cpu::rms_norm(kernels, pool, x, static_cast<const float*>(lw.ffn_norm.data), xn, n, d, hp.rms_eps);
        linear(kernels, pool, s, lw.ffn_gate, xn, n, gate);
        linear(kernels, pool, s, lw.ffn_up, xn, n, up);
        cpu::swiglu(kernels, pool, gate, up, gate, n * hp.n_ff);
        linear(kernels, pool, s, lw.ffn_down, gate, n, xn);
        cpu::add(kernels, pool, x, xn, x, n * d);
    }
    for (int64_t i = 0; i < n; ++i)
        cache.set_length(chunk.seq_ids[i], std::max(cache.length(chunk.seq_ids[i]), chunk.positions[i] + 1));

    // Outputs: the final-norm hidden states (spec §6.3) and the logits computed from them. Output
    // slots of a chunk are consecutive, in entry order.
    int64_t n_out = 0;
    int32_t first_slot = -1;
    for (int64_t i = 0; i < n; ++i) {
        if (chunk.output_slots[i] < 0) continue;
        if (first_slot < 0) first_slot = chunk.output_slots[i];
        std::memcpy(xn + n_out * d, x + i * d, static_cast<size_t>(d) * sizeof(float));
        ++n_out;
    }
    if (n_out == 0) return;
    float* hidden_out = hidden + static_cast<int64_t>(first_slot) * d;
    cpu::rms_norm(kernels, pool, xn, static_cast<const float*>(w.output_norm.data), hidden_out, n_out, d, hp.rms_eps);
    linear(kernels, pool, s, w.output, hidden_out, n_out, logits + static_cast<int64_t>(first_slot) * hp.n_vocab);
}

} // namespace pxl
