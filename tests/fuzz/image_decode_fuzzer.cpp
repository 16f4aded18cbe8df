// libFuzzer target for the image decoder's public entry point (pxl_image_decode), followed by the
// preprocessing of whatever decodes. Checks beyond "no crash, no sanitizer report": a failed decode
// returns no image, a successful one is consistent (size, pixel count), and preprocessing either
// succeeds or refuses a too-thin image. Built and run for a bounded time by ./build.sh test.
#include "core/log.h"
#include "pixellm.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // libjpeg/libpng warnings on damaged input would flood the output (the target links the image
    // area without api_core.cpp, so the internal call instead of pxl_log_set_callback).
    pxl::set_log_callback([](pxl_log_level, const char*, void*) {}, nullptr, PXL_LOG_LEVEL_NONE);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    pxl_image_decode_params params = pxl_image_default_decode_params();
    // Smaller limits than the defaults keep each run fast under the sanitizers.
    params.max_pixels = 4'000'000;
    params.max_side = 4096;
    if (size > 0) {
        params.alpha_mode = data[size - 1] & 1 ? PXL_IMAGE_ALPHA_COMPOSITE : PXL_IMAGE_ALPHA_DROP;
        params.apply_exif_orientation = data[size - 1] & 2 ? 0 : 1;
    }
    pxl_image* image = reinterpret_cast<pxl_image*>(&params);  // must be overwritten either way
    if (pxl_image_decode(data, size, &params, &image) != PXL_STATUS_OK) {
        check(image == nullptr);
        return 0;
    }
    check(image != nullptr);
    pxl_image_info info{};
    info.struct_size = sizeof info;
    check(pxl_image_get_info(image, &info) == PXL_STATUS_OK);
    check(info.width > 0 && info.height > 0 && static_cast<int64_t>(info.width) * info.height <= params.max_pixels);
    const uint8_t* pixels = nullptr;
    uint64_t pixel_bytes = 0;
    check(pxl_image_pixels(image, &pixels, &pixel_bytes) == PXL_STATUS_OK);
    check(pixel_bytes == static_cast<uint64_t>(info.width) * info.height * 3);

    static std::vector<float> tensor(3 * 448 * 448);
    static std::vector<uint8_t> patch(32 * 32), token(16 * 16);
    char key[65];
    pxl_image_preprocess_output out{};
    out.struct_size = sizeof out;
    out.pixels = tensor.data();
    out.pixels_count = tensor.size();
    out.patch_valid = patch.data();
    out.patch_valid_count = patch.size();
    out.token_valid = token.data();
    out.token_valid_count = token.size();
    out.cache_key = key;
    out.cache_key_capacity = sizeof key;
    const pxl_status status = pxl_image_preprocess(image, nullptr, &out);
    check(status == PXL_STATUS_OK || status == PXL_STATUS_UNSUPPORTED);
    if (status == PXL_STATUS_OK) check(out.resized_width >= 1 && out.resized_height >= 1 && (out.resized_width == 448 || out.resized_height == 448));
    pxl_image_free(image);
    return 0;
}
