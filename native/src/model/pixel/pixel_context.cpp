#include "model/pixel/pixel_context.h"

#include "core/error.h"
#include "cpu/cpu_features.h"
#include "cpu/kernels.h"

namespace pxl {

namespace {

const pixel_context_options& checked(const pixel_context_options& options) {
    const cpu::kernel_table& kernels = cpu::active_kernels();
    // The scalar level carries a BF16 micro-kernel only as the tests' reference; production BF16
    // runs need vdpbf16ps.
    if (options.vision_precision == cpu::gemm_precision::bf16 &&
        (kernels.isa != PXL_CPU_ISA_AVX512 || !cpu::gemm_supports(kernels, options.vision_precision)))
        fail(PXL_STATUS_UNSUPPORTED,
             "BF16 vision compute needs AVX512_BF16 (the avx512 kernel level); the active level is %s (best on this CPU: "
             "%s); use F32",
             cpu::isa_name(kernels.isa), cpu::isa_name(cpu::best_isa()));
    return options;
}

} // namespace

pixel_context::pixel_context(const pixel_model& model, const pixel_context_options& options)
    : model_(model), options_(checked(options)), pool_(options.n_threads),
      vision_(model, options.vision_precision, options.n_threads), mask_head_(model, options.max_targets) {}

void pixel_context::encode_image(const float* pixels, int32_t valid_height, int32_t valid_width, const vision_outputs& out) {
    const int64_t size = model_.hparams().vision.image_size;
    PXL_CHECK_ARG(pixels != nullptr, "pixels is NULL");
    PXL_CHECK_ARG(out.image_tokens != nullptr, "outputs->image_tokens is NULL; the image tokens are required");
    PXL_CHECK_ARG(valid_height >= 1 && valid_height <= size, "valid_height is %d; it must be in 1..%lld (the padded input side)",
                  valid_height, static_cast<long long>(size));
    PXL_CHECK_ARG(valid_width >= 1 && valid_width <= size, "valid_width is %d; it must be in 1..%lld (the padded input side)",
                  valid_width, static_cast<long long>(size));
    vision_encode(model_, vision_, pool_, options_.vision_precision, pixels, valid_height, valid_width, out);
}

} // namespace pxl
