#include "model/llama/llama_context.h"

#include "core/error.h"

#include <algorithm>

namespace pxl {

namespace {

aligned_buffer output_buffer(int32_t n_batch, int64_t width) {
    return aligned_buffer(static_cast<size_t>(n_batch) * static_cast<size_t>(width) * sizeof(float));
}

} // namespace

llama_context::llama_context(const llama_model& model, const llama_context_options& options)
    : model_(model), options_(options), pool_(options.n_threads),
      cache_(model.hparams(), options.n_ctx, options.n_seq, options.kv_type),
      scratch_(model, options.n_batch),
      logits_(output_buffer(options.n_batch, model.hparams().n_vocab)),
      hidden_(output_buffer(options.n_batch, model.hparams().n_embd)),
      next_position_(static_cast<size_t>(options.n_seq)) {}

void llama_context::check_seq(int32_t seq, const char* argument) const {
    PXL_CHECK_ARG(seq >= 0 && seq < cache_.n_seq(), "%s %d is not a sequence of this context (0..%d)", argument, seq,
                  cache_.n_seq() - 1);
}

void llama_context::check_batch(const pxl_batch& batch) {
    const llama_hparams& hp = model_.hparams();
    PXL_CHECK_ARG(batch.struct_size >= sizeof(pxl_batch), "batch.struct_size is %llu; expected at least %zu",
                  static_cast<unsigned long long>(batch.struct_size), sizeof(pxl_batch));
    PXL_CHECK_ARG(batch.n_entries >= 1, "batch.n_entries is %d; a batch needs at least one entry", batch.n_entries);
    PXL_CHECK_ARG(batch.tokens != nullptr, "batch.tokens is NULL");
    PXL_CHECK_ARG(batch.seq_ids != nullptr, "batch.seq_ids is NULL");
    PXL_CHECK_ARG(batch.positions != nullptr, "batch.positions is NULL");

    for (int32_t s = 0; s < cache_.n_seq(); ++s) next_position_[static_cast<size_t>(s)] = cache_.length(s);
    int32_t n_outputs = 0;
    for (int32_t i = 0; i < batch.n_entries; ++i) {
        const int32_t token = batch.tokens[i];
        if (token == PXL_TOKEN_EMBEDDING) {
            PXL_CHECK_ARG(batch.embeddings != nullptr, "entry %d is an embedding but batch.embeddings is NULL", i);
            PXL_CHECK_ARG(batch.embedding_width == hp.n_embd,
                          "batch.embedding_width is %d; this model's embeddings are %lld wide", batch.embedding_width,
                          static_cast<long long>(hp.n_embd));
        } else {
            PXL_CHECK_ARG(token >= 0 && token < hp.n_vocab, "entry %d: token %d is outside the vocabulary (0..%lld)", i,
                          token, static_cast<long long>(hp.n_vocab - 1));
        }
        const int32_t seq = batch.seq_ids[i];
        PXL_CHECK_ARG(seq >= 0 && seq < cache_.n_seq(), "entry %d: sequence %d is not a sequence of this context (0..%d)",
                      i, seq, cache_.n_seq() - 1);
        int32_t& next = next_position_[static_cast<size_t>(seq)];
        PXL_CHECK_ARG(batch.positions[i] == next,
                      "entry %d: position %d does not continue sequence %d, whose next position is %d", i,
                      batch.positions[i], seq, next);
        if (next >= cache_.n_ctx())
            fail(PXL_STATUS_CONTEXT_FULL, "entry %d: sequence %d is full (%d positions); truncate it or create the context with a larger n_ctx",
                 i, seq, cache_.n_ctx());
        ++next;
        const bool wants_output = batch.outputs != nullptr ? batch.outputs[i] != 0 : i == batch.n_entries - 1;
        if (wants_output) ++n_outputs;
    }
    PXL_CHECK_ARG(n_outputs <= options_.n_batch, "the batch asks for %d outputs; this context keeps at most n_batch = %d",
                  n_outputs, options_.n_batch);
}

void llama_context::decode(const pxl_batch& batch) {
    check_batch(batch);
    const int64_t n_embd = model_.hparams().n_embd;
    n_outputs_ = 0;

    // Per-entry views of the batch, built once so chunks are plain slices.
    entry_embeddings_.assign(static_cast<size_t>(batch.n_entries), nullptr);
    entry_output_slots_.assign(static_cast<size_t>(batch.n_entries), -1);
    int64_t next_embedding_row = 0;
    for (int32_t i = 0; i < batch.n_entries; ++i) {
        if (batch.tokens[i] == PXL_TOKEN_EMBEDDING)
            entry_embeddings_[static_cast<size_t>(i)] = batch.embeddings + next_embedding_row++ * n_embd;
        const bool wants_output = batch.outputs != nullptr ? batch.outputs[i] != 0 : i == batch.n_entries - 1;
        if (wants_output) entry_output_slots_[static_cast<size_t>(i)] = n_outputs_++;
    }

    for (int32_t begin = 0; begin < batch.n_entries; begin += options_.n_batch) {
        const int32_t n = std::min(options_.n_batch, batch.n_entries - begin);
        const llama_chunk chunk{n,
                                batch.tokens + begin,
                                entry_embeddings_.data() + begin,
                                batch.seq_ids + begin,
                                batch.positions + begin,
                                batch.hidden_keys != nullptr ? batch.hidden_keys + begin : nullptr,
                                entry_output_slots_.data() + begin};
        llama_forward(model_, cache_, scratch_, pool_, chunk, logits_.data_as<float>(), hidden_.data_as<float>());
    }
}

const float* llama_context::logits(int32_t output) const {
    PXL_CHECK_ARG(output >= 0 && output < n_outputs_, "output %d does not exist; the last decode kept %d", output,
                  n_outputs_);
    return logits_.data_as<float>() + static_cast<size_t>(output) * static_cast<size_t>(model_.hparams().n_vocab);
}

const float* llama_context::hidden(int32_t output) const {
    PXL_CHECK_ARG(output >= 0 && output < n_outputs_, "output %d does not exist; the last decode kept %d", output,
                  n_outputs_);
    return hidden_.data_as<float>() + static_cast<size_t>(output) * static_cast<size_t>(model_.hparams().n_embd);
}

int32_t llama_context::seq_length(int32_t seq) const {
    check_seq(seq, "seq_id");
    return cache_.length(seq);
}

void llama_context::seq_truncate(int32_t seq, int32_t n_keep) {
    check_seq(seq, "seq_id");
    PXL_CHECK_ARG(n_keep >= 0 && n_keep <= cache_.length(seq), "n_keep %d is outside 0..%d (the length of sequence %d)",
                  n_keep, cache_.length(seq), seq);
    cache_.set_length(seq, n_keep);
}

void llama_context::seq_copy(int32_t src, int32_t dst) {
    check_seq(src, "src_seq");
    check_seq(dst, "dst_seq");
    cache_.copy_sequence(src, dst);
}

} // namespace pxl
