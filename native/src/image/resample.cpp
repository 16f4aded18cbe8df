#include "image/resample.h"

#include "core/error.h"
#include "image/image_limits.h"

#include <algorithm>
#include <cmath>

namespace pxl {

namespace {

double triangle(double x) {
    x = std::fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

// The rounding-and-clamping step of both passes: the accumulator started at half a unit.
inline uint8_t clip8(int32_t sum) {
    const int32_t v = sum >> k_resample_precision_bits;
    return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// Output rows [0, out.height) from input rows [row0, row0 + out.height).
void resample_horizontal(const rgb_image& in, int32_t row0, const resample_taps& taps, rgb_image& out) {
    for (int32_t y = 0; y < out.height; ++y) {
        const uint8_t* src = in.row(row0 + y);
        uint8_t* dst = out.row(y);
        for (int32_t x = 0; x < out.width; ++x) {
            const int32_t* k = taps.coeffs.data() + static_cast<size_t>(x) * taps.ksize;
            const uint8_t* s = src + static_cast<size_t>(taps.first[x]) * 3;
            int32_t r = 1 << (k_resample_precision_bits - 1), g = r, b = r;
            for (int32_t i = 0; i < taps.count[x]; ++i) {
                r += s[3 * i] * k[i];
                g += s[3 * i + 1] * k[i];
                b += s[3 * i + 2] * k[i];
            }
            dst[3 * x] = clip8(r);
            dst[3 * x + 1] = clip8(g);
            dst[3 * x + 2] = clip8(b);
        }
    }
}

// taps.first is relative to row `row0` of `in`.
void resample_vertical(const rgb_image& in, int32_t row0, const resample_taps& taps, rgb_image& out) {
    const size_t row_values = static_cast<size_t>(out.width) * 3;
    std::vector<int32_t> sums(row_values);
    for (int32_t y = 0; y < out.height; ++y) {
        const int32_t* k = taps.coeffs.data() + static_cast<size_t>(y) * taps.ksize;
        std::fill(sums.begin(), sums.end(), 1 << (k_resample_precision_bits - 1));
        for (int32_t i = 0; i < taps.count[y]; ++i) {
            const uint8_t* src = in.row(taps.first[y] - row0 + i);
            const int32_t w = k[i];
            for (size_t v = 0; v < row_values; ++v) sums[v] += src[v] * w;
        }
        uint8_t* dst = out.row(y);
        for (size_t v = 0; v < row_values; ++v) dst[v] = clip8(sums[v]);
    }
}

} // namespace

resample_taps compute_bilinear_taps(int32_t in_size, int32_t out_size) {
    PXL_CHECK_ARG(in_size > 0 && out_size > 0, "resample: sizes must be positive (in %d, out %d)", in_size, out_size);
    const double scale = static_cast<double>(in_size) / out_size;
    const double filter_scale = std::max(scale, 1.0);
    const double support = 1.0 * filter_scale;  // the triangle's support is 1 at scale 1
    resample_taps taps;
    taps.ksize = static_cast<int32_t>(std::ceil(support)) * 2 + 1;
    taps.first.resize(out_size);
    taps.count.resize(out_size);
    taps.coeffs.assign(static_cast<size_t>(out_size) * taps.ksize, 0);
    // Multiplying by the reciprocal (not dividing) keeps the weights bit-identical to the original's.
    const double inverse_scale = 1.0 / filter_scale;
    std::vector<double> weights(taps.ksize);
    for (int32_t o = 0; o < out_size; ++o) {
        const double center = (o + 0.5) * scale;
        // The int conversions truncate toward zero, as the original's C casts do.
        const int32_t first = std::max(static_cast<int32_t>(center - support + 0.5), 0);
        const int32_t last = std::min(static_cast<int32_t>(center + support + 0.5), in_size);
        const int32_t count = last - first;
        double total = 0.0;
        for (int32_t i = 0; i < count; ++i) {
            weights[i] = triangle((i + first - center + 0.5) * inverse_scale);
            total += weights[i];
        }
        int32_t* k = taps.coeffs.data() + static_cast<size_t>(o) * taps.ksize;
        for (int32_t i = 0; i < count; ++i) {
            const double w = (total != 0.0 ? weights[i] / total : weights[i]) * (1 << k_resample_precision_bits);
            k[i] = static_cast<int32_t>(w < 0 ? w - 0.5 : w + 0.5);
        }
        taps.first[o] = first;
        taps.count[o] = count;
    }
    return taps;
}

rgb_image resize_bilinear(const rgb_image& image, int32_t width, int32_t height) {
    PXL_CHECK_ARG(width > 0 && height > 0, "resize: the target size %dx%d is not positive", width, height);
    const bool horizontal = width != image.width;
    const bool vertical = height != image.height;
    if (!horizontal && !vertical) return image;
    if (!vertical) {
        rgb_image out = allocate_rgb_image(width, height);
        resample_horizontal(image, 0, compute_bilinear_taps(image.width, width), out);
        return out;
    }
    const resample_taps rows = compute_bilinear_taps(image.height, height);
    if (!horizontal) {
        rgb_image out = allocate_rgb_image(width, height);
        resample_vertical(image, 0, rows, out);
        return out;
    }
    // Only the input rows some output row reads need the horizontal pass.
    const int32_t row0 = rows.first.front();
    const int32_t row_end = rows.first.back() + rows.count.back();
    rgb_image middle = allocate_rgb_image(width, row_end - row0);
    resample_horizontal(image, row0, compute_bilinear_taps(image.width, width), middle);
    rgb_image out = allocate_rgb_image(width, height);
    resample_vertical(middle, row0, rows, out);
    return out;
}

} // namespace pxl
