#include "cpu/convert.h"

#include "core/error.h"
#include "core/tensor_type.h"
#include "cpu/kernels.h"

#include <cstring>

namespace pxl::cpu {

namespace {

// The kernels read 16-bit fields (halves, block scales) in place, so encoded data must be 2-byte
// aligned. Bytes from a GGUF file with general.alignment 1, or a caller's buffer at an odd
// address, are not: those go through an aligned chunk on the stack.
constexpr int64_t k_chunk_values = 4096;  // a multiple of every block size
constexpr size_t k_chunk_bytes = 4096 * 2;  // the largest encoding of k_chunk_values (F16/BF16)

bool is_aligned_for_kernels(const void* pointer) { return (reinterpret_cast<uintptr_t>(pointer) & 1) == 0; }

uint64_t encoded_bytes(pxl_tensor_type type, int64_t count) {
    const tensor_type_traits& traits = *find_tensor_type(type);
    return static_cast<uint64_t>(count / traits.block_elements * traits.block_bytes);
}

} // namespace

bool is_convertible(int32_t type) {
    switch (type) {
    case PXL_TENSOR_TYPE_F32:
    case PXL_TENSOR_TYPE_F16:
    case PXL_TENSOR_TYPE_BF16:
    case PXL_TENSOR_TYPE_Q8_0:
    case PXL_TENSOR_TYPE_Q4_0: return true;
    default: return false;
    }
}

void to_f32(pxl_tensor_type type, const void* src, float* dst, int64_t count) {
    if (type != PXL_TENSOR_TYPE_F32 && !is_aligned_for_kernels(src)) {
        alignas(64) unsigned char chunk[k_chunk_bytes];
        const auto* bytes = static_cast<const unsigned char*>(src);
        for (int64_t done = 0; done < count; done += k_chunk_values) {
            const int64_t n = count - done < k_chunk_values ? count - done : k_chunk_values;
            std::memcpy(chunk, bytes + encoded_bytes(type, done), encoded_bytes(type, n));
            to_f32(type, chunk, dst + done, n);
        }
        return;
    }
    const convert_kernels& k = *active_kernels().convert;
    switch (type) {
    case PXL_TENSOR_TYPE_F32: std::memcpy(dst, src, static_cast<size_t>(count) * sizeof(float)); return;
    case PXL_TENSOR_TYPE_F16: k.f16_to_f32(src, dst, count); return;
    case PXL_TENSOR_TYPE_BF16: k.bf16_to_f32(src, dst, count); return;
    case PXL_TENSOR_TYPE_Q8_0: k.q8_0_to_f32(src, dst, count); return;
    case PXL_TENSOR_TYPE_Q4_0: k.q4_0_to_f32(src, dst, count); return;
    default: fail(PXL_STATUS_UNSUPPORTED, "cannot convert tensor type %d to f32", static_cast<int>(type));
    }
}

void from_f32(pxl_tensor_type type, const float* src, void* dst, int64_t count) {
    if (type != PXL_TENSOR_TYPE_F32 && !is_aligned_for_kernels(dst)) {
        alignas(64) unsigned char chunk[k_chunk_bytes];
        auto* bytes = static_cast<unsigned char*>(dst);
        for (int64_t done = 0; done < count; done += k_chunk_values) {
            const int64_t n = count - done < k_chunk_values ? count - done : k_chunk_values;
            from_f32(type, src + done, chunk, n);
            std::memcpy(bytes + encoded_bytes(type, done), chunk, encoded_bytes(type, n));
        }
        return;
    }
    const convert_kernels& k = *active_kernels().convert;
    switch (type) {
    case PXL_TENSOR_TYPE_F32: std::memcpy(dst, src, static_cast<size_t>(count) * sizeof(float)); return;
    case PXL_TENSOR_TYPE_F16: k.f32_to_f16(src, dst, count); return;
    case PXL_TENSOR_TYPE_BF16: k.f32_to_bf16(src, dst, count); return;
    case PXL_TENSOR_TYPE_Q8_0: k.f32_to_q8_0(src, dst, count); return;
    case PXL_TENSOR_TYPE_Q4_0: k.f32_to_q4_0(src, dst, count); return;
    default: fail(PXL_STATUS_UNSUPPORTED, "cannot convert f32 to tensor type %d", static_cast<int>(type));
    }
}

} // namespace pxl::cpu
