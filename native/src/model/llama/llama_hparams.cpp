#include "model/llama/llama_hparams.h"

#include "core/error.h"
#include "model/gguf_metadata.h"

#include <limits>
#include <string>

namespace pxl {

llama_hparams read_llama_hparams(const gguf_file& file) {
    const std::string_view architecture = require_string(file, "general.architecture");
    if (architecture != "llama")
        fail(PXL_STATUS_UNSUPPORTED, "general.architecture is '%.*s'; the language model must be 'llama'",
             static_cast<int>(architecture.size()), architecture.data());

    llama_hparams hp;
    hp.n_embd = require_width(file, "llama.embedding_length");
    hp.n_layer = require_width(file, "llama.block_count");
    hp.n_head = require_width(file, "llama.attention.head_count");
    hp.n_ff = require_width(file, "llama.feed_forward_length");
    hp.n_ctx_train = require_width(file, "llama.context_length");
    const std::optional<uint64_t> head_count_kv = find_uint(file, "llama.attention.head_count_kv");
    hp.n_head_kv = head_count_kv ? checked_width("llama.attention.head_count_kv", *head_count_kv) : hp.n_head;

    if (hp.n_embd % hp.n_head != 0)
        fail(PXL_STATUS_INVALID_FORMAT, "llama.embedding_length %lld is not divisible by llama.attention.head_count %lld",
             static_cast<long long>(hp.n_embd), static_cast<long long>(hp.n_head));
    if (hp.n_head % hp.n_head_kv != 0)
        fail(PXL_STATUS_INVALID_FORMAT,
             "llama.attention.head_count %lld is not a multiple of llama.attention.head_count_kv %lld",
             static_cast<long long>(hp.n_head), static_cast<long long>(hp.n_head_kv));
    hp.head_dim = hp.n_embd / hp.n_head;
    if (hp.head_dim % 2 != 0)
        fail(PXL_STATUS_INVALID_FORMAT, "the head size %lld is odd; RoPE rotates pairs of values",
             static_cast<long long>(hp.head_dim));

    const std::optional<uint64_t> rope_dims = find_uint(file, "llama.rope.dimension_count");
    if (rope_dims && *rope_dims != static_cast<uint64_t>(hp.head_dim))
        fail(PXL_STATUS_UNSUPPORTED, "llama.rope.dimension_count is %llu; only RoPE over the whole head (%lld) is supported",
             static_cast<unsigned long long>(*rope_dims), static_cast<long long>(hp.head_dim));
    const std::optional<std::string_view> scaling = find_string(file, "llama.rope.scaling.type");
    if (scaling && *scaling != "none")
        fail(PXL_STATUS_UNSUPPORTED, "llama.rope.scaling.type is '%.*s'; RoPE scaling is not supported",
             static_cast<int>(scaling->size()), scaling->data());

    const double eps = require_float(file, "llama.attention.layer_norm_rms_epsilon");
    if (!(eps > 0.0 && eps < 1.0))
        fail(PXL_STATUS_INVALID_FORMAT, "llama.attention.layer_norm_rms_epsilon is %g; it must be in (0, 1)", eps);
    hp.rms_eps = static_cast<float>(eps);
    const double base = find_float(file, "llama.rope.freq_base").value_or(10000.0);
    if (!(base > 1.0 && base < static_cast<double>(std::numeric_limits<float>::max())))
        fail(PXL_STATUS_INVALID_FORMAT, "llama.rope.freq_base is %g; it must be a finite value above 1", base);
    hp.rope_base = static_cast<float>(base);

    // The vocabulary is as long as the token list; the embedding is checked against it on binding.
    const std::optional<uint64_t> tokens = find_array_length(file, "tokenizer.ggml.tokens");
    if (!tokens) fail(PXL_STATUS_INVALID_FORMAT, "metadata key 'tokenizer.ggml.tokens' is missing");
    hp.n_vocab = checked_width("tokenizer.ggml.tokens", *tokens);
    const std::optional<uint64_t> vocab_size = find_uint(file, "llama.vocab_size");
    if (vocab_size && *vocab_size != static_cast<uint64_t>(hp.n_vocab))
        fail(PXL_STATUS_INVALID_FORMAT, "llama.vocab_size is %llu but tokenizer.ggml.tokens holds %lld tokens",
             static_cast<unsigned long long>(*vocab_size), static_cast<long long>(hp.n_vocab));
    return hp;
}

} // namespace pxl
