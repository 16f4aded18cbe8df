#include "cpu/repack.h"

#include "core/error.h"
#include "cpu/quant_blocks.h"

#include <cstring>

namespace pxl::cpu {

size_t q4_0x8_bytes(int64_t n, int64_t k) {
    PXL_CHECK_ARG(n > 0 && k > 0 && k % k_qk == 0, "repack: bad Q4_0 shape n %lld, k %lld", static_cast<long long>(n),
                  static_cast<long long>(k));
    const int64_t groups = (n + k_repack_rows - 1) / k_repack_rows;
    return static_cast<size_t>(groups) * static_cast<size_t>(k / k_qk) * sizeof(block_q4_0x8);
}

void repack_q4_0x8(const void* src, int64_t n, int64_t k, void* dst) {
    const int64_t blocks = k / k_qk;
    const int64_t groups = static_cast<int64_t>(q4_0x8_bytes(n, k) / sizeof(block_q4_0x8)) / blocks;
    const auto* in = static_cast<const block_q4_0*>(src);
    auto* out = static_cast<block_q4_0x8*>(dst);
    for (int64_t g = 0; g < groups; ++g) {
        for (int64_t b = 0; b < blocks; ++b) {
            block_q4_0x8& packed = out[g * blocks + b];
            std::memset(&packed, 0, sizeof packed);
            for (int i = 0; i < k_repack_rows; ++i) {
                const int64_t row = g * k_repack_rows + i;
                if (row >= n) break;
                const block_q4_0& block = in[row * blocks + b];
                packed.d[i] = block.d;
                for (int c = 0; c < 4; ++c) std::memcpy(packed.qs + 32 * c + 4 * i, block.qs + 4 * c, 4);
            }
        }
    }
}

} // namespace pxl::cpu
