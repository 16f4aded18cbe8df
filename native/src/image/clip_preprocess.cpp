#include "image/clip_preprocess.h"

#include "core/error.h"
#include "image/resample.h"
#include "image/sha256.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pxl {

void check_clip_preprocess_params(const clip_preprocess_params& p) {
    PXL_CHECK_ARG(p.image_size > 0 && p.image_size <= 16384, "image_size is %d; expected 1..16384", p.image_size);
    PXL_CHECK_ARG(p.patch_size > 0 && p.image_size % p.patch_size == 0,
                  "patch_size is %d; it must be positive and divide image_size (%d)", p.patch_size, p.image_size);
    const int32_t patch_grid = p.image_size / p.patch_size;
    PXL_CHECK_ARG(p.token_grid > 0 && patch_grid % p.token_grid == 0,
                  "token_grid is %d; it must be positive and divide the patch grid (%d)", p.token_grid, patch_grid);
    for (int c = 0; c < 3; ++c) {
        PXL_CHECK_ARG(std::isfinite(p.mean[c]), "mean[%d] is not finite", c);
        PXL_CHECK_ARG(std::isfinite(p.std[c]) && p.std[c] != 0.0f, "std[%d] is %g; it must be finite and non-zero", c,
                      static_cast<double>(p.std[c]));
    }
}

void clip_resized_size(int32_t width, int32_t height, int32_t image_size, int32_t* out_width, int32_t* out_height) {
    const double s = static_cast<double>(image_size) / std::max(width, height);
    *out_height = static_cast<int32_t>(std::floor(height * s + 0.5));
    *out_width = static_cast<int32_t>(std::floor(width * s + 0.5));
}

void clip_preprocess(const rgb_image& image, const clip_preprocess_params& params, clip_preprocess_output& out) {
    check_clip_preprocess_params(params);
    const int32_t size = params.image_size;
    int32_t w1 = 0, h1 = 0;
    clip_resized_size(image.width, image.height, size, &w1, &h1);
    if (w1 < 1 || h1 < 1)
        fail(PXL_STATUS_UNSUPPORTED, "a %dx%d image resizes to %dx%d: too thin to process (the short side must be at least "
             "1/%d of the long one)", image.width, image.height, w1, h1, 2 * size);
    const rgb_image resized = resize_bilinear(image, w1, h1);

    // (v - mean) / std in f32 for each of the 256 byte values: the same two roundings as the reference.
    float table[3][256];
    for (int c = 0; c < 3; ++c)
        for (int v = 0; v < 256; ++v) table[c][v] = (static_cast<float>(v) - params.mean[c]) / params.std[c];
    const size_t plane = static_cast<size_t>(size) * size;
    std::fill(out.pixels, out.pixels + 3 * plane, 0.0f);  // the padding is 0 after normalisation
    for (int32_t y = 0; y < h1; ++y) {
        const uint8_t* src = resized.row(y);
        for (int c = 0; c < 3; ++c) {
            float* dst = out.pixels + c * plane + static_cast<size_t>(y) * size;
            for (int32_t x = 0; x < w1; ++x) dst[x] = table[c][src[3 * x + c]];
        }
    }

    const int32_t grid = size / params.patch_size;
    for (int32_t i = 0; i < grid; ++i)
        for (int32_t j = 0; j < grid; ++j)
            out.patch_valid[i * grid + j] = params.patch_size * i < h1 && params.patch_size * j < w1 ? 1 : 0;
    const int32_t stride = grid / params.token_grid;
    for (int32_t u = 0; u < params.token_grid; ++u)
        for (int32_t v = 0; v < params.token_grid; ++v)
            out.token_valid[u * params.token_grid + v] = out.patch_valid[(stride * u) * grid + stride * v];
    out.resized_width = w1;
    out.resized_height = h1;
}

namespace {

void hash_i32(sha256& hash, int32_t value) {
    uint8_t bytes[4];
    for (int i = 0; i < 4; ++i) bytes[i] = static_cast<uint8_t>(static_cast<uint32_t>(value) >> (8 * i));
    hash.update(bytes, 4);
}

void hash_f32(sha256& hash, float value) {
    uint32_t bits = 0;
    std::memcpy(&bits, &value, 4);
    hash_i32(hash, static_cast<int32_t>(bits));
}

} // namespace

std::string clip_preprocess_cache_key(const rgb_image& image, const clip_preprocess_params& params) {
    static const char k_tag[] = "pixellm.clip_preprocess.v1";  // bump when the algorithm's output changes
    sha256 hash;
    hash.update(k_tag, sizeof k_tag);
    hash_i32(hash, image.width);
    hash_i32(hash, image.height);
    hash.update(image.pixels.data(), image.pixels.size());
    hash_i32(hash, params.image_size);
    hash_i32(hash, params.patch_size);
    hash_i32(hash, params.token_grid);
    for (int c = 0; c < 3; ++c) hash_f32(hash, params.mean[c]);
    for (int c = 0; c < 3; ++c) hash_f32(hash, params.std[c]);
    return hash.finish_hex();
}

} // namespace pxl
