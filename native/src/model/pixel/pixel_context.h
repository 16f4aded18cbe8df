// One caller's state for a pixel_model (pxl_pixel_context): a thread pool of its own and the
// scratch of the vision tower and the pixel decoder (mask_head). One caller at a time.
#pragma once

#include "core/thread_pool.h"
#include "model/pixel/mask_head.h"
#include "model/pixel/pixel_model.h"

#include <cstdint>

namespace pxl {

struct pixel_context_options {
    int32_t n_threads = 1;    // >= 1
    int32_t max_targets = 16; // >= 1: targets the mask head decodes in one batch
};

class pixel_context {
public:
    pixel_context(const pixel_model& model, const pixel_context_options& options);

    const pixel_model& model() const { return model_; }
    thread_pool& pool() { return pool_; }
    mask_head& masks() { return mask_head_; }

private:
    const pixel_model& model_;
    pixel_context_options options_;
    thread_pool pool_;
    mask_head mask_head_;
};

} // namespace pxl
