#include "cpu/repack.h"

#include "core/error.h"
#include "cpu/quant_blocks.h"
#include "pixellm.h"

#include <cstring>

namespace pxl::cpu {

namespace {

void check_shape(int32_t type, int64_t n, int64_t k) {
    PXL_CHECK_ARG(is_repackable(type), "repack: type %d has no repacked layout", static_cast<int>(type));
    PXL_CHECK_ARG(n > 0 && k > 0 && k % k_qk == 0, "repack: bad shape n %lld, k %lld", static_cast<long long>(n),
                  static_cast<long long>(k));
}

// Fills group `packed` (8 rows of one block) from the rows' original blocks: scale i, and for each
// 4-byte step c the row's bytes 4c..4c+3 at 32c + 4i, passed through `encode`.
template <class Packed, class Original, class Encode>
void repack_blocks(const Original* in, int64_t n, int64_t blocks, Packed* out, Encode encode) {
    constexpr int steps = sizeof(Original{}.qs) / 4;
    const int64_t groups = (n + k_repack_rows - 1) / k_repack_rows;
    for (int64_t g = 0; g < groups; ++g) {
        for (int64_t b = 0; b < blocks; ++b) {
            Packed& packed = out[g * blocks + b];
            std::memset(&packed, 0, sizeof packed);
            for (int i = 0; i < k_repack_rows && g * k_repack_rows + i < n; ++i) {
                const Original& block = in[(g * k_repack_rows + i) * blocks + b];
                packed.d[i] = block.d;
                for (int c = 0; c < steps; ++c)
                    for (int t = 0; t < 4; ++t) packed.qs[32 * c + 4 * i + t] = encode(block.qs[4 * c + t]);
            }
        }
    }
}

} // namespace

bool is_repackable(int32_t type) { return type == PXL_TENSOR_TYPE_Q8_0 || type == PXL_TENSOR_TYPE_Q4_0; }

size_t repacked_bytes(int32_t type, int64_t n, int64_t k) {
    check_shape(type, n, k);
    const int64_t groups = (n + k_repack_rows - 1) / k_repack_rows;
    const size_t block = type == PXL_TENSOR_TYPE_Q8_0 ? sizeof(block_q8_0x8) : sizeof(block_q4_0x8);
    return static_cast<size_t>(groups) * static_cast<size_t>(k / k_qk) * block;
}

void repack(int32_t type, const void* src, int64_t n, int64_t k, void* dst) {
    check_shape(type, n, k);
    const int64_t blocks = k / k_qk;
    if (type == PXL_TENSOR_TYPE_Q8_0)
        repack_blocks(static_cast<const block_q8_0*>(src), n, blocks, static_cast<block_q8_0x8*>(dst),
                      [](int8_t v) { return static_cast<uint8_t>(static_cast<uint8_t>(v) ^ 0x80u); });
    else
        repack_blocks(static_cast<const block_q4_0*>(src), n, blocks, static_cast<block_q4_0x8*>(dst),
                      [](uint8_t v) { return v; });
}

} // namespace pxl::cpu
