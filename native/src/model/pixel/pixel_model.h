// A loaded pixel file (pxl_pixel_model): the mapped GGUF, its hyper-parameters and bound weights
// for the vision tower, the projectors and the pixel decoder. Immutable after load, so any number
// of pixel contexts and threads may share it.
#pragma once

#include "format/gguf_file.h"
#include "model/pixel/mask_head_weights.h"
#include "model/pixel/pixel_hparams.h"
#include "model/pixel/vision_weights.h"

#include <memory>
#include <string>

namespace pxl {

class pixel_model {
public:
    // Opens, validates and binds; errors name the file and what is wrong with it.
    static std::unique_ptr<pixel_model> load(const std::string& path, bool use_mmap);

    const pixel_hparams& hparams() const { return hparams_; }
    const gguf_file& file() const { return *file_; }
    const mask_head_weights& mask_head() const { return mask_head_; }
    const vision_weights& vision() const { return vision_; }

private:
    explicit pixel_model(std::unique_ptr<gguf_file> file);

    std::unique_ptr<gguf_file> file_; // owns the mapping every weight points into
    pixel_hparams hparams_;
    vision_weights vision_; // the tower and the projectors, borrowed from the mapping
    mask_head_weights mask_head_;
};

} // namespace pxl
