#include "model/llama/llama_model.h"

#include "core/error.h"
#include "core/log.h"
#include "cpu/repack.h"

namespace pxl {

llama_model::llama_model(std::unique_ptr<gguf_file> file)
    : file_(std::move(file)), hparams_(read_llama_hparams(*file_)), weights_(bind_llama_weights(*file_, hparams_)) {
    repack_quantized_matrices();
}

void llama_model::repack_quantized_matrices() {
    auto repack = [&](weight_tensor& w) {
        if (!cpu::is_repackable(w.type)) return;
        aligned_buffer& packed = packed_.emplace_back(cpu::repacked_bytes(w.type, w.rows(), w.dims[0]));
        cpu::repack(w.type, w.data, w.rows(), w.dims[0], packed.data());
        w.packed = packed.data();
        // A tied output matrix is also the embedding table, which lookups still read.
        if (w.data != weights_.token_embd.data) file_->discard_tensor_data(w.data, w.byte_size);
    };
    for (llama_layer_weights& layer : weights_.layers)
        for (weight_tensor* w : {&layer.attn_q, &layer.attn_k, &layer.attn_v, &layer.attn_output, &layer.ffn_gate,
                                 &layer.ffn_up, &layer.ffn_down})
            repack(*w);
    repack(weights_.output);
}

std::unique_ptr<llama_model> llama_model::load(const std::string& path, bool use_mmap) {
    file_mapping bytes = use_mmap ? file_mapping::map_file(path) : file_mapping::read_file(path);
    try {
        gguf_open_options options;
        options.use_mmap = use_mmap;
        auto model = std::unique_ptr<llama_model>(
            new llama_model(std::make_unique<gguf_file>(std::move(bytes), options)));
        const llama_hparams& hp = model->hparams();
        log(PXL_LOG_LEVEL_INFO, "loaded %s: llama, %lld layers, width %lld, %lld heads (%lld kv), vocabulary %lld",
            path.c_str(), static_cast<long long>(hp.n_layer), static_cast<long long>(hp.n_embd),
            static_cast<long long>(hp.n_head), static_cast<long long>(hp.n_head_kv), static_cast<long long>(hp.n_vocab));
        return model;
    } catch (const error& e) {
        throw error(e.status(), std::string(e.what()) + " (file '" + path + "')");
    }
}

} // namespace pxl
