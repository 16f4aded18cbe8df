// Scalar reference inner loops of fused attention (kernels.h, attention_kernels).
#include "cpu/half_float.h"
#include "cpu/kernels.h"

namespace pxl::cpu {

namespace {

float f16_value(const void* row, int64_t i) { return f16_to_f32(static_cast<const uint16_t*>(row)[i]); }
float f32_value(const void* row, int64_t i) { return static_cast<const float*>(row)[i]; }

template <float (*value)(const void*, int64_t), int64_t element_bytes>
void scores(const float* q, const void* k, int64_t stride, int n_keys, int head_size, float scale, float* s) {
    const auto* bytes = static_cast<const unsigned char*>(k);
    for (int j = 0; j < n_keys; ++j) {
        const void* key = bytes + j * stride * element_bytes;
        float sum = 0.0f;
        for (int i = 0; i < head_size; ++i) sum += q[i] * value(key, i);
        s[j] = scale * sum;
    }
}

template <float (*value)(const void*, int64_t), int64_t element_bytes>
void accumulate(float* acc, float c, const float* p, const void* v, int64_t stride, int n_keys, int head_size) {
    const auto* bytes = static_cast<const unsigned char*>(v);
    for (int i = 0; i < head_size; ++i) acc[i] *= c;
    for (int j = 0; j < n_keys; ++j) {
        const void* row = bytes + j * stride * element_bytes;
        for (int i = 0; i < head_size; ++i) acc[i] += p[j] * value(row, i);
    }
}

} // namespace

const attention_kernels scalar_attention_kernels = {
    scores<f16_value, 2>,
    scores<f32_value, 4>,
    accumulate<f16_value, 2>,
    accumulate<f32_value, 4>,
};

} // namespace pxl::cpu
