// C ABI: images (decode, raw RGB24, resize) and the CLIP preprocessing.
#include "capi/handles.h"
#include "core/api_guard.h"
#include "core/error.h"
#include "image/clip_preprocess.h"
#include "image/image_decode.h"
#include "image/resample.h"

#include <cstring>
#include <memory>
#include <string>

struct pxl_image {
    pxl::decoded_image decoded;
};

using pxl::check_struct_size;

namespace {

pxl::decode_options decode_options_from(const pxl_image_decode_params* params) {
    const pxl_image_decode_params defaults = pxl_image_default_decode_params();
    if (params != nullptr) check_struct_size(params, "params");
    const pxl_image_decode_params& p = params != nullptr ? *params : defaults;
    PXL_CHECK_ARG(p.max_pixels > 0, "params->max_pixels is %lld; it must be positive", static_cast<long long>(p.max_pixels));
    PXL_CHECK_ARG(p.max_side > 0, "params->max_side is %d; it must be positive", p.max_side);
    PXL_CHECK_ARG(p.alpha_mode == PXL_IMAGE_ALPHA_DROP || p.alpha_mode == PXL_IMAGE_ALPHA_COMPOSITE,
                  "params->alpha_mode is %d; expected PXL_IMAGE_ALPHA_DROP (0) or PXL_IMAGE_ALPHA_COMPOSITE (1)", p.alpha_mode);
    PXL_CHECK_ARG((p.background_rgb >> 24) == 0,
                  "params->background_rgb is 0x%x; expected 0xRRGGBB", p.background_rgb);
    pxl::decode_options options;
    options.limits.max_pixels = p.max_pixels;
    options.limits.max_side = p.max_side;
    options.apply_exif_orientation = p.apply_exif_orientation != 0;
    options.composite_alpha = p.alpha_mode == PXL_IMAGE_ALPHA_COMPOSITE;
    options.background[0] = static_cast<uint8_t>(p.background_rgb >> 16);
    options.background[1] = static_cast<uint8_t>(p.background_rgb >> 8);
    options.background[2] = static_cast<uint8_t>(p.background_rgb);
    return options;
}

pxl::clip_preprocess_params preprocess_params_from(const pxl_image_preprocess_params* params) {
    const pxl_image_preprocess_params defaults = pxl_image_default_preprocess_params();
    if (params != nullptr) check_struct_size(params, "params");
    const pxl_image_preprocess_params& p = params != nullptr ? *params : defaults;
    pxl::clip_preprocess_params out;
    out.image_size = p.image_size;
    out.patch_size = p.patch_size;
    out.token_grid = p.token_grid;
    out.mean[0] = p.mean_r;
    out.mean[1] = p.mean_g;
    out.mean[2] = p.mean_b;
    out.std[0] = p.std_r;
    out.std[1] = p.std_g;
    out.std[2] = p.std_b;
    pxl::check_clip_preprocess_params(out);
    return out;
}

void check_buffer(const void* buffer, uint64_t count, uint64_t expected, const char* name) {
    PXL_CHECK_ARG(buffer != nullptr, "out->%s is NULL", name);
    PXL_CHECK_ARG(count == expected, "out->%s_count is %llu; expected %llu", name, static_cast<unsigned long long>(count),
                  static_cast<unsigned long long>(expected));
}

} // namespace

extern "C" PXL_API pxl_image_decode_params pxl_image_default_decode_params(void) {
    pxl_image_decode_params params{};
    params.struct_size = sizeof params;
    const pxl::image_limits limits;
    params.max_pixels = limits.max_pixels;
    params.max_side = limits.max_side;
    params.apply_exif_orientation = 1;
    params.alpha_mode = PXL_IMAGE_ALPHA_DROP;
    params.background_rgb = 0xffffffu;
    return params;
}

extern "C" PXL_API pxl_status pxl_image_decode(const void* data, uint64_t size, const pxl_image_decode_params* params,
                                               pxl_image** out_image) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_image != nullptr, "out_image is NULL");
        *out_image = nullptr;
        PXL_CHECK_ARG(data != nullptr || size == 0, "data is NULL");
        const pxl::decode_options options = decode_options_from(params);
        auto image = std::make_unique<pxl_image>();
        image->decoded = pxl::decode_image(static_cast<const uint8_t*>(data), static_cast<size_t>(size), options);
        *out_image = image.release();
    });
}

extern "C" PXL_API pxl_status pxl_image_from_rgb24(const void* pixels, uint64_t size, int32_t width, int32_t height,
                                                   const pxl_image_decode_params* params, pxl_image** out_image) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_image != nullptr, "out_image is NULL");
        *out_image = nullptr;
        PXL_CHECK_ARG(pixels != nullptr, "pixels is NULL");
        PXL_CHECK_ARG(width > 0 && height > 0, "the size %dx%d is not positive", width, height);
        const pxl::decode_options options = decode_options_from(params);
        pxl::check_image_size(width, height, options.limits, "RGB24 pixels");
        const uint64_t expected = static_cast<uint64_t>(width) * static_cast<uint64_t>(height) * 3;
        PXL_CHECK_ARG(size == expected, "size is %llu bytes; a %dx%d RGB24 image has %llu", static_cast<unsigned long long>(size),
                      width, height, static_cast<unsigned long long>(expected));
        auto image = std::make_unique<pxl_image>();
        image->decoded.image = pxl::allocate_rgb_image(width, height);
        std::memcpy(image->decoded.image.pixels.data(), pixels, static_cast<size_t>(size));
        *out_image = image.release();
    });
}

extern "C" PXL_API void pxl_image_free(pxl_image* image) { delete image; }

extern "C" PXL_API pxl_status pxl_image_get_info(const pxl_image* image, pxl_image_info* out_info) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(image != nullptr, "image is NULL");
        PXL_CHECK_ARG(out_info != nullptr, "out_info is NULL");
        check_struct_size(out_info, "out_info");
        const uint64_t struct_size = out_info->struct_size;
        *out_info = pxl_image_info{};
        out_info->struct_size = struct_size;
        const pxl::decoded_image& d = image->decoded;
        out_info->width = d.image.width;
        out_info->height = d.image.height;
        out_info->format = d.format;
        out_info->exif_orientation = d.exif_orientation;
        out_info->bits_per_channel = d.bits_per_channel;
        out_info->had_alpha = d.had_alpha ? 1 : 0;
    });
}

extern "C" PXL_API pxl_status pxl_image_pixels(const pxl_image* image, const uint8_t** out_pixels, uint64_t* out_size) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(image != nullptr, "image is NULL");
        PXL_CHECK_ARG(out_pixels != nullptr, "out_pixels is NULL");
        PXL_CHECK_ARG(out_size != nullptr, "out_size is NULL");
        *out_pixels = image->decoded.image.pixels.data();
        *out_size = image->decoded.image.pixels.size();
    });
}

extern "C" PXL_API pxl_status pxl_image_resize(const pxl_image* image, int32_t width, int32_t height,
                                               pxl_image** out_image) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_image != nullptr, "out_image is NULL");
        *out_image = nullptr;
        PXL_CHECK_ARG(image != nullptr, "image is NULL");
        PXL_CHECK_ARG(width > 0 && height > 0, "the target size %dx%d is not positive", width, height);
        pxl::check_image_size(width, height, pxl::image_limits{}, "resize target");
        auto resized = std::make_unique<pxl_image>();
        resized->decoded.image = pxl::resize_bilinear(image->decoded.image, width, height);
        *out_image = resized.release();
    });
}

extern "C" PXL_API pxl_image_preprocess_params pxl_image_default_preprocess_params(void) {
    const pxl::clip_preprocess_params defaults;
    pxl_image_preprocess_params params{};
    params.struct_size = sizeof params;
    params.image_size = defaults.image_size;
    params.patch_size = defaults.patch_size;
    params.token_grid = defaults.token_grid;
    params.mean_r = defaults.mean[0];
    params.mean_g = defaults.mean[1];
    params.mean_b = defaults.mean[2];
    params.std_r = defaults.std[0];
    params.std_g = defaults.std[1];
    params.std_b = defaults.std[2];
    return params;
}

extern "C" PXL_API pxl_status pxl_image_preprocess(const pxl_image* image, const pxl_image_preprocess_params* params,
                                                   pxl_image_preprocess_output* out) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(image != nullptr, "image is NULL");
        PXL_CHECK_ARG(out != nullptr, "out is NULL");
        check_struct_size(out, "out");
        const pxl::clip_preprocess_params p = preprocess_params_from(params);
        const uint64_t size = static_cast<uint64_t>(p.image_size);
        const uint64_t grid = size / static_cast<uint64_t>(p.patch_size);
        const uint64_t tokens = static_cast<uint64_t>(p.token_grid);
        check_buffer(out->pixels, out->pixels_count, 3 * size * size, "pixels");
        check_buffer(out->patch_valid, out->patch_valid_count, grid * grid, "patch_valid");
        check_buffer(out->token_valid, out->token_valid_count, tokens * tokens, "token_valid");
        PXL_CHECK_ARG(out->cache_key == nullptr || out->cache_key_capacity >= 65,
                      "out->cache_key_capacity is %llu; the key needs 65 bytes", static_cast<unsigned long long>(out->cache_key_capacity));
        const pxl::rgb_image& rgb = image->decoded.image;
        pxl::clip_preprocess_output result;
        result.pixels = out->pixels;
        result.patch_valid = out->patch_valid;
        result.token_valid = out->token_valid;
        pxl::clip_preprocess(rgb, p, result);
        if (out->cache_key != nullptr) {
            const std::string key = pxl::clip_preprocess_cache_key(rgb, p);
            std::memcpy(out->cache_key, key.c_str(), key.size() + 1);
        }
        out->resized_width = result.resized_width;
        out->resized_height = result.resized_height;
        out->original_width = rgb.width;
        out->original_height = rgb.height;
    });
}
