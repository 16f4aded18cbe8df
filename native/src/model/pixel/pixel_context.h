// One caller's state for a pixel_model (pxl_pixel_context): a thread pool of its own and the
// scratch of the vision tower and the pixel decoder (mask_head), all allocated at construction.
// One caller at a time.
#pragma once

#include "core/thread_pool.h"
#include "cpu/gemm.h"
#include "model/pixel/mask_head.h"
#include "model/pixel/pixel_model.h"
#include "model/pixel/vision_encoder.h"

#include <cstdint>

namespace pxl {

struct pixel_context_options {
    int32_t n_threads = 1;    // >= 1
    int32_t max_targets = 16; // >= 1: targets the mask head decodes in one batch
    // Products of the tower and the projectors: f32, or bf16 inputs with f32 accumulation
    // (UNSUPPORTED at construction when the active kernel level has no BF16 micro-kernel).
    cpu::gemm_precision vision_precision = cpu::gemm_precision::f32;
};

class pixel_context {
public:
    pixel_context(const pixel_model& model, const pixel_context_options& options);

    const pixel_model& model() const { return model_; }
    thread_pool& pool() { return pool_; }
    mask_head& masks() { return mask_head_; }

    // Checks the valid size (INVALID_ARGUMENT naming it), then runs vision_encode.
    void encode_image(const float* pixels, int32_t valid_height, int32_t valid_width, const vision_outputs& out);

private:
    const pixel_model& model_;
    pixel_context_options options_;
    thread_pool pool_;
    vision_scratch vision_;
    mask_head mask_head_;
};

} // namespace pxl
