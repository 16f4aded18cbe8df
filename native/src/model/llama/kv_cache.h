// The keys and values of every layer for up to n_seq sequences of up to n_ctx positions each.
// A sequence's position p lives in row p of its slot, so appending is writing the next rows and
// truncating is forgetting the length. Each position also remembers whether its key is hidden
// (PixelLM's padded image tokens, spec §5.4), which every later query must respect.
#pragma once

#include "core/aligned_buffer.h"
#include "model/llama/llama_hparams.h"
#include "pixellm.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pxl {

class kv_cache {
public:
    // Allocates everything up front; OUT_OF_MEMORY names the size when that fails.
    kv_cache(const llama_hparams& hp, int32_t n_ctx, int32_t n_seq, pxl_kv_type type);

    int32_t n_ctx() const { return n_ctx_; }
    int32_t n_seq() const { return n_seq_; }
    pxl_kv_type type() const { return type_; }
    int64_t row_elements() const { return row_elements_; } // n_head_kv * head_dim
    size_t element_size() const { return type_ == PXL_KV_TYPE_F16 ? 2 : 4; }

    int32_t length(int32_t seq) const { return lengths_[static_cast<size_t>(seq)]; }
    void set_length(int32_t seq, int32_t length) { lengths_[static_cast<size_t>(seq)] = length; }

    // Row `pos` of a slot: row_elements() values of the cache type. [n_ctx][n_head_kv][head_dim] per layer and slot.
    void* key_row(int64_t layer, int32_t seq, int32_t pos) { return row(keys_, layer, seq, pos); }
    void* value_row(int64_t layer, int32_t seq, int32_t pos) { return row(values_, layer, seq, pos); }
    const void* key_row(int64_t layer, int32_t seq, int32_t pos) const { return row(keys_, layer, seq, pos); }
    const void* value_row(int64_t layer, int32_t seq, int32_t pos) const { return row(values_, layer, seq, pos); }

    // Bit pos % 64 of word pos / 64 set: the key at pos is invisible to every query. [(n_ctx + 63) / 64] per slot.
    const uint64_t* hidden_key_bits(int32_t seq) const { return hidden_.data() + static_cast<size_t>(seq) * words_; }
    void set_hidden(int32_t seq, int32_t pos, bool hidden);

    // 0, 1, ..., n_ctx - 1: the position of every cache row, as the attention kernel reads them.
    const int32_t* positions() const { return positions_.data(); }

    // Makes `dst` hold exactly what `src` holds (keys, values, hidden flags, length).
    void copy_sequence(int32_t src, int32_t dst);

private:
    uint8_t* row(const aligned_buffer& buffer, int64_t layer, int32_t seq, int32_t pos) const;

    int64_t n_layer_;
    int32_t n_ctx_;
    int32_t n_seq_;
    pxl_kv_type type_;
    int64_t row_elements_;
    aligned_buffer keys_;   // [n_layer][n_seq][n_ctx][row_elements]
    aligned_buffer values_; // same layout
    size_t words_;                  // bitmap words per slot
    std::vector<uint64_t> hidden_;  // [n_seq][words_]
    std::vector<int32_t> lengths_;  // [n_seq]
    std::vector<int32_t> positions_; // [n_ctx]
};

} // namespace pxl
