#include "model/pixel/pixel_model.h"

#include "core/error.h"
#include "core/log.h"

namespace pxl {

pixel_model::pixel_model(std::unique_ptr<gguf_file> file)
    : file_(std::move(file)), hparams_(read_pixel_hparams(*file_)), vision_(bind_vision_weights(*file_, hparams_)),
      mask_head_(bind_mask_head_weights(*file_, hparams_)) {}

std::unique_ptr<pixel_model> pixel_model::load(const std::string& path, bool use_mmap) {
    file_mapping bytes = use_mmap ? file_mapping::map_file(path) : file_mapping::read_file(path);
    try {
        gguf_open_options options;
        options.use_mmap = use_mmap;
        auto model = std::unique_ptr<pixel_model>(new pixel_model(std::make_unique<gguf_file>(std::move(bytes), options)));
        const pixel_hparams& hp = model->hparams();
        log(PXL_LOG_LEVEL_INFO, "loaded %s: pixellm, vision %lld layers width %lld at %lld px, decoder width %lld, LLM width %lld",
            path.c_str(), static_cast<long long>(hp.vision.n_layer), static_cast<long long>(hp.vision.n_embd),
            static_cast<long long>(hp.vision.image_size), static_cast<long long>(hp.decoder.n_embd),
            static_cast<long long>(hp.llm_n_embd));
        return model;
    } catch (const error& e) {
        throw error(e.status(), std::string(e.what()) + " (file '" + path + "')");
    }
}

} // namespace pxl
