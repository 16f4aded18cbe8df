#include "model/pixel/pixel_context.h"

namespace pxl {

pixel_context::pixel_context(const pixel_model& model, const pixel_context_options& options)
    : model_(model), options_(options), pool_(options.n_threads), mask_head_(model, options.max_targets) {}

} // namespace pxl
