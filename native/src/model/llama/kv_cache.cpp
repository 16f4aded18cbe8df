#include "model/llama/kv_cache.h"

#include "core/checked_math.h"
#include "core/error.h"

#include <cstring>
#include <numeric>

namespace pxl {

namespace {

size_t cache_bytes(const llama_hparams& hp, int32_t n_ctx, int32_t n_seq, size_t element_size) {
    uint64_t bytes = element_size;
    for (const uint64_t factor : {static_cast<uint64_t>(hp.n_layer), static_cast<uint64_t>(n_seq),
                                  static_cast<uint64_t>(n_ctx), static_cast<uint64_t>(hp.n_head_kv * hp.head_dim)})
        if (!checked_mul(bytes, factor, &bytes))
            fail(PXL_STATUS_INVALID_ARGUMENT, "a KV cache of %d sequences of %d positions is too large", n_seq, n_ctx);
    return static_cast<size_t>(bytes);
}

// A named allocation failure instead of a bare bad_alloc: the user needs the size to choose n_ctx.
aligned_buffer allocate(size_t bytes, const char* what) {
    try {
        return aligned_buffer(bytes);
    } catch (const std::bad_alloc&) {
        fail(PXL_STATUS_OUT_OF_MEMORY, "cannot allocate the KV cache's %s (%.1f MiB); lower n_ctx or n_seq", what,
             static_cast<double>(bytes) / (1024.0 * 1024.0));
    }
}

} // namespace

kv_cache::kv_cache(const llama_hparams& hp, int32_t n_ctx, int32_t n_seq, pxl_kv_type type)
    : n_layer_(hp.n_layer), n_ctx_(n_ctx), n_seq_(n_seq), type_(type), row_elements_(hp.n_head_kv * hp.head_dim),
      keys_(allocate(cache_bytes(hp, n_ctx, n_seq, element_size()), "keys")),
      values_(allocate(cache_bytes(hp, n_ctx, n_seq, element_size()), "values")),
      words_((static_cast<size_t>(n_ctx) + 63) / 64), hidden_(static_cast<size_t>(n_seq) * words_, 0),
      lengths_(static_cast<size_t>(n_seq), 0), positions_(static_cast<size_t>(n_ctx)) {
    std::iota(positions_.begin(), positions_.end(), 0);
}

void kv_cache::set_hidden(int32_t seq, int32_t pos, bool hidden) {
    uint64_t& word = hidden_[static_cast<size_t>(seq) * words_ + static_cast<size_t>(pos) / 64];
    const uint64_t bit = uint64_t{1} << (pos % 64);
    word = hidden ? (word | bit) : (word & ~bit);
}

uint8_t* kv_cache::row(const aligned_buffer& buffer, int64_t layer, int32_t seq, int32_t pos) const {
    const size_t index = (static_cast<size_t>(layer) * static_cast<size_t>(n_seq_) + static_cast<size_t>(seq)) *
                             static_cast<size_t>(n_ctx_) +
                         static_cast<size_t>(pos);
    return const_cast<uint8_t*>(buffer.data_as<uint8_t>()) + index * static_cast<size_t>(row_elements_) * element_size();
}

void kv_cache::copy_sequence(int32_t src, int32_t dst) {
    if (src == dst) return;
    const int32_t length = lengths_[static_cast<size_t>(src)];
    const size_t bytes = static_cast<size_t>(length) * static_cast<size_t>(row_elements_) * element_size();
    for (int64_t layer = 0; layer < n_layer_; ++layer) {
        if (bytes == 0) break;
        std::memcpy(key_row(layer, dst, 0), key_row(layer, src, 0), bytes);
        std::memcpy(value_row(layer, dst, 0), value_row(layer, src, 0), bytes);
    }
    std::memcpy(hidden_.data() + static_cast<size_t>(dst) * words_, hidden_.data() + static_cast<size_t>(src) * words_,
                words_ * sizeof(uint64_t));
    lengths_[static_cast<size_t>(dst)] = length;
}

} // namespace pxl
