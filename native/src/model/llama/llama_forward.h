// The LLaMA forward pass (spec §6.1) over one chunk of batch entries: embed, run every layer with
// the KV cache, and produce the logits and final hidden states of the entries that ask for them.
#pragma once

#include "core/aligned_buffer.h"
#include "core/thread_pool.h"
#include "model/llama/kv_cache.h"
#include "model/llama/llama_model.h"

#include <cstdint>
#include <vector>

namespace pxl {

// Activations of up to n_batch entries, allocated once per context.
struct llama_scratch {
    llama_scratch(const llama_model& model, int32_t n_batch);

    aligned_buffer x;         // [n_batch][n_embd] residual stream
    aligned_buffer xn;        // [n_batch][n_embd] normalized input of a block
    aligned_buffer q;         // [n_batch][n_head * head_dim]
    aligned_buffer k;         // [n_batch][n_head_kv * head_dim]
    aligned_buffer v;         // [n_batch][n_head_kv * head_dim]
    aligned_buffer attention; // [n_batch][n_head * head_dim]
    aligned_buffer gate;      // [n_batch][n_ff]
    aligned_buffer up;        // [n_batch][n_ff]
    aligned_buffer matmul_workspace; // quantized activations of the largest matmul
    // One sequence's queries gathered for the attention call, and its output before scattering.
    aligned_buffer seq_q;         // [n_batch][n_head * head_dim]
    aligned_buffer seq_attention; // [n_batch][n_head * head_dim]
    std::vector<int32_t> seq_positions; // [n_batch]
    std::vector<int32_t> order;         // [n_batch] entry indices grouped by sequence
};

// A checked slice of a batch: every entry valid, positions continuing their sequences.
struct llama_chunk {
    int32_t n_entries;
    const int32_t* tokens;          // [n_entries]; PXL_TOKEN_EMBEDDING where embedding_rows gives the input
    const float* const* embeddings; // [n_entries]: the entry's input row (n_embd floats) or nullptr
    const int32_t* seq_ids;         // [n_entries]
    const int32_t* positions;       // [n_entries]
    const int8_t* hidden_keys;      // [n_entries] or nullptr
    const int32_t* output_slots;    // [n_entries]: the entry's output index, or -1
};

// Runs the chunk; writes logits [n_vocab] and hidden [n_embd] of each output to
// logits + slot * n_vocab and hidden + slot * n_embd. The KV cache gains the chunk's entries.
void llama_forward(const llama_model& model, kv_cache& cache, llama_scratch& scratch, thread_pool& pool,
                   const llama_chunk& chunk, float* logits, float* hidden);

} // namespace pxl
