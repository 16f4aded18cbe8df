// What the decoders are asked to do and what they report back, shared by the JPEG and PNG decoders
// and the format dispatcher (image_decode.h).
#pragma once

#include "image/image_limits.h"
#include "image/rgb_image.h"
#include "pixellm.h"

#include <cstdint>

namespace pxl {

struct decode_options {
    image_limits limits;
    bool apply_exif_orientation = true;
    // false: alpha is dropped, as the reference's decoder does (spec §15.2); true: alpha-composited
    // onto `background` (R, G, B).
    bool composite_alpha = false;
    uint8_t background[3] = {255, 255, 255};
};

struct decoded_image {
    rgb_image image;              // oriented as meant to be seen
    pxl_image_format format = PXL_IMAGE_FORMAT_RGB24;
    int32_t exif_orientation = 1;  // as stored in the file (1 when absent), whether applied or not
    int32_t bits_per_channel = 8;  // of the encoded samples
    bool had_alpha = false;        // the encoded image had an alpha channel or a transparency chunk
};

} // namespace pxl
