#include "cpu/embedding.h"

#include "core/error.h"
#include "core/tensor_type.h"
#include "cpu/matmul.h"

#include <cstring>

namespace pxl::cpu {

void embedding_lookup(const kernel_table& kernels, pxl_tensor_type type, const void* table, int64_t n_vocab,
                      int64_t n_embd, const int32_t* ids, int64_t n_ids, float* out) {
    PXL_CHECK_ARG(is_matmul_type(type), "embedding: unsupported table type %d", static_cast<int>(type));
    const tensor_type_traits& traits = *find_tensor_type(type);
    PXL_CHECK_ARG(n_embd > 0 && n_embd % traits.block_elements == 0, "embedding: width %lld does not fit type %s",
                  static_cast<long long>(n_embd), traits.name);
    for (int64_t i = 0; i < n_ids; ++i)
        PXL_CHECK_ARG(ids[i] >= 0 && ids[i] < n_vocab, "embedding: token id %d outside [0, %lld)", ids[i],
                      static_cast<long long>(n_vocab));
    const int64_t row_bytes = n_embd / traits.block_elements * traits.block_bytes;
    const auto* bytes = static_cast<const unsigned char*>(table);
    const convert_kernels& convert = *kernels.convert;
    for (int64_t i = 0; i < n_ids; ++i) {
        const void* row = bytes + ids[i] * row_bytes;
        float* dst = out + i * n_embd;
        switch (type) {
        case PXL_TENSOR_TYPE_F16: convert.f16_to_f32(row, dst, n_embd); break;
        case PXL_TENSOR_TYPE_BF16: convert.bf16_to_f32(row, dst, n_embd); break;
        case PXL_TENSOR_TYPE_Q8_0: convert.q8_0_to_f32(row, dst, n_embd); break;
        case PXL_TENSOR_TYPE_Q4_0: convert.q4_0_to_f32(row, dst, n_embd); break;
        default: std::memcpy(dst, row, static_cast<size_t>(n_embd) * sizeof(float)); break;
        }
    }
}

} // namespace pxl::cpu
