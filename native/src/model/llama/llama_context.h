// One caller's inference state for a llama_model (pxl_context): the KV cache of every sequence,
// the scratch of the forward pass, the outputs of the last decode, and a thread pool of its own.
// Everything is allocated at construction; decoding allocates nothing. One caller at a time.
#pragma once

#include "core/aligned_buffer.h"
#include "core/thread_pool.h"
#include "model/llama/kv_cache.h"
#include "model/llama/llama_forward.h"
#include "model/llama/llama_model.h"
#include "pixellm.h"

#include <cstdint>
#include <vector>

namespace pxl {

struct llama_context_options {
    int32_t n_threads = 1;   // >= 1
    int32_t n_ctx = 0;       // >= 1
    int32_t n_seq = 1;       // >= 1
    int32_t n_batch = 512;   // >= 1
    pxl_kv_type kv_type = PXL_KV_TYPE_F16;
};

class llama_context {
public:
    llama_context(const llama_model& model, const llama_context_options& options);

    // Checks the whole batch (INVALID_ARGUMENT / CONTEXT_FULL, nothing changed), then runs it in
    // chunks of at most n_batch entries.
    void decode(const pxl_batch& batch);

    int32_t output_count() const { return n_outputs_; }
    const float* logits(int32_t output) const; // [n_vocab]
    const float* hidden(int32_t output) const; // [n_embd]

    int32_t seq_length(int32_t seq) const;
    void seq_truncate(int32_t seq, int32_t n_keep);
    void seq_copy(int32_t src, int32_t dst);

    const llama_model& model() const { return model_; }
    int32_t n_batch() const { return options_.n_batch; }

private:
    void check_batch(const pxl_batch& batch);
    void check_seq(int32_t seq, const char* argument) const;

    const llama_model& model_;
    llama_context_options options_;
    thread_pool pool_;
    kv_cache cache_;
    llama_scratch scratch_;
    aligned_buffer logits_; // [n_batch][n_vocab]: the outputs of the last decode
    aligned_buffer hidden_; // [n_batch][n_embd]
    int32_t n_outputs_ = 0;
    std::vector<int32_t> next_position_;             // per sequence, while checking a batch
    std::vector<const float*> entry_embeddings_;    // per entry of the batch being run: its input row or nullptr
    std::vector<int32_t> entry_output_slots_;       // per entry: its output index or -1
};

} // namespace pxl
