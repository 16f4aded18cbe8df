#include "cpu/gemm.h"

#include "core/error.h"
#include "cpu/cpu_features.h"
#include "cpu/half_float.h"

#include <algorithm>
#include <cstring>

namespace pxl::cpu {

namespace {

// Inner steps per block: an A tile of 12 rows (12 KiB in f32) stays in L1 while it meets every B
// panel of the block, and a task's B block (kc x 128 columns, 128 KiB) stays in L2 while every A
// tile passes. BF16 values are half the size, so twice the steps fit.
constexpr int64_t k_kc_f32 = 256;
constexpr int64_t k_kc_bf16 = 512;
constexpr int64_t k_panels_per_block = 4; // nr-wide panels of B per task

constexpr size_t k_align = 64;

size_t aligned(size_t bytes) { return (bytes + k_align - 1) / k_align * k_align; }

struct geometry {
    int mr = 0, nr = 0;
    int64_t kc = 0;       // inner steps per block (even for bf16)
    size_t element = 0;   // bytes per packed value
    int64_t k_pad = 0;    // k rounded up to what a tile consumes (even for bf16)
    int64_t m_tiles = 0;
    int64_t block_cols = 0;
    size_t a_bytes = 0;       // packed A
    size_t thread_bytes = 0;  // per thread: B block, conversion rows, one C tile
};

geometry geometry_of(const kernel_table& kernels, gemm_precision precision, int64_t m, int64_t k) {
    geometry g;
    const bool bf16 = precision == gemm_precision::bf16;
    g.mr = bf16 ? kernels.gemm->bf16_mr : kernels.gemm->f32_mr;
    g.nr = bf16 ? kernels.gemm->bf16_nr : kernels.gemm->f32_nr;
    g.kc = bf16 ? k_kc_bf16 : k_kc_f32;
    g.element = bf16 ? 2 : 4;
    g.k_pad = bf16 ? (k + 1) / 2 * 2 : k;
    g.m_tiles = (m + g.mr - 1) / g.mr;
    g.block_cols = g.nr * k_panels_per_block;
    g.a_bytes = aligned(static_cast<size_t>(g.m_tiles * g.mr * g.k_pad) * g.element);
    g.thread_bytes = aligned(static_cast<size_t>(g.kc * g.block_cols) * g.element) +
                     aligned(static_cast<size_t>(g.kc) * sizeof(float)) + aligned(static_cast<size_t>(g.kc) * 2) +
                     aligned(static_cast<size_t>(g.mr * g.nr) * sizeof(float));
    return g;
}

// One thread's slice of the workspace.
struct thread_scratch {
    void* b_block;    // [panels][kc_pad][nr] packed B
    float* row_f32;   // [kc] one row widened to f32
    uint16_t* row_bf16; // [kc] one row rounded to bf16
    float* c_tile;    // [mr][nr] a partial tile of C
};

thread_scratch scratch_of(const geometry& g, void* workspace, int worker) {
    auto* base = static_cast<unsigned char*>(workspace) + g.a_bytes + g.thread_bytes * static_cast<size_t>(worker);
    thread_scratch s;
    s.b_block = base;
    base += aligned(static_cast<size_t>(g.kc * g.block_cols) * g.element);
    s.row_f32 = reinterpret_cast<float*>(base);
    base += aligned(static_cast<size_t>(g.kc) * sizeof(float));
    s.row_bf16 = reinterpret_cast<uint16_t*>(base);
    base += aligned(static_cast<size_t>(g.kc) * 2);
    s.c_tile = reinterpret_cast<float*>(base);
    return s;
}

// values [count] of row `row` of b from inner index `begin`, as f32 (a pointer into b for F32).
const float* widen_b_row(const kernel_table& kernels, const gemm_b& b, int64_t row, int64_t begin, int64_t count,
                         float* out) {
    const auto* bytes = static_cast<const unsigned char*>(b.data);
    switch (b.type) {
    case PXL_TENSOR_TYPE_F32: return reinterpret_cast<const float*>(bytes) + row * b.ld + begin;
    case PXL_TENSOR_TYPE_F16: kernels.convert->f16_to_f32(bytes + (row * b.ld + begin) * 2, out, count); return out;
    default: kernels.convert->bf16_to_f32(bytes + (row * b.ld + begin) * 2, out, count); return out;
    }
}

// bf16 values travel in (even, odd) pairs: one 32-bit word per pair, which is what a micro-kernel
// broadcasts (A) or loads per column (B).
void copy_pair(uint16_t* dst, const uint16_t* src) { std::memcpy(dst, src, 2 * sizeof(uint16_t)); }

// `count` values of a row as bf16 pairs in `out` ((count + 1) / 2 pairs; an odd count ends with a
// zero): rounded from f32 through `scratch`, or read in place when the row is bf16 already.
const uint16_t* bf16_pairs(const kernel_table& kernels, const float* f32_values, const uint16_t* bf16_values,
                           int64_t count, uint16_t* scratch) {
    if (bf16_values != nullptr && count % 2 == 0) return bf16_values;
    if (bf16_values != nullptr)
        std::memcpy(scratch, bf16_values, static_cast<size_t>(count) * sizeof(uint16_t));
    else
        kernels.convert->f32_to_bf16(f32_values, scratch, count);
    if (count % 2 != 0) scratch[count] = 0;
    return scratch;
}

// Packs rows [col0, col0 + panels * nr) of b over inner steps [p0, p0 + kcb) into s.b_block: per
// panel [kcb][nr] f32, or [kcb_pad / 2][nr][2] bf16; missing rows and the odd step are zeros.
void pack_b_block(const kernel_table& kernels, const geometry& g, gemm_precision precision, const gemm_b& b,
                  int64_t col0, int64_t panels, int64_t p0, int64_t kcb, const thread_scratch& s) {
    const bool bf16 = precision == gemm_precision::bf16;
    const int64_t kcb_pad = bf16 ? (kcb + 1) / 2 * 2 : kcb;
    const int64_t panel_elements = kcb_pad * g.nr;
    for (int64_t q = 0; q < panels; ++q) {
        for (int j = 0; j < g.nr; ++j) {
            const int64_t row = col0 + q * g.nr + j;
            if (!bf16) {
                float* panel = static_cast<float*>(s.b_block) + q * panel_elements + j;
                if (row >= b.n) {
                    for (int64_t p = 0; p < kcb; ++p) panel[p * g.nr] = 0.0f;
                    continue;
                }
                const float* v = widen_b_row(kernels, b, row, p0, kcb, s.row_f32);
                for (int64_t p = 0; p < kcb; ++p) panel[p * g.nr] = v[p];
                continue;
            }
            uint16_t* panel = static_cast<uint16_t*>(s.b_block) + q * panel_elements + 2 * j;
            const int64_t pairs = kcb_pad / 2;
            if (row >= b.n) {
                for (int64_t pair = 0; pair < pairs; ++pair) panel[pair * g.nr * 2] = panel[pair * g.nr * 2 + 1] = 0;
                continue;
            }
            const uint16_t* in_place =
                b.type == PXL_TENSOR_TYPE_BF16 ? static_cast<const uint16_t*>(b.data) + row * b.ld + p0 : nullptr;
            const float* widened = in_place == nullptr ? widen_b_row(kernels, b, row, p0, kcb, s.row_f32) : nullptr;
            const uint16_t* v = bf16_pairs(kernels, widened, in_place, kcb, s.row_bf16);
            for (int64_t pair = 0; pair < pairs; ++pair) copy_pair(panel + pair * g.nr * 2, v + 2 * pair);
        }
    }
}

// Packs A into the workspace: tile t holds rows [t mr, t mr + mr) as [k_pad][mr] f32 or
// [k_pad / 2][mr][2] bf16, so the block of inner steps from p0 starts at element t k_pad mr + p0 mr.
void pack_a(const kernel_table& kernels, thread_pool& pool, const geometry& g, gemm_precision precision, const float* a,
            int64_t lda, int64_t m, int64_t k, void* workspace) {
    pool.parallel_for(g.m_tiles, [&](int64_t begin, int64_t end, int worker) {
        const thread_scratch s = scratch_of(g, workspace, worker);
        for (int64_t t = begin; t < end; ++t) {
            for (int r = 0; r < g.mr; ++r) {
                const int64_t i = t * g.mr + r;
                if (precision == gemm_precision::f32) {
                    float* tile = static_cast<float*>(workspace) + t * g.k_pad * g.mr + r;
                    if (i >= m) {
                        for (int64_t p = 0; p < k; ++p) tile[p * g.mr] = 0.0f;
                        continue;
                    }
                    const float* row = a + i * lda;
                    for (int64_t p = 0; p < k; ++p) tile[p * g.mr] = row[p];
                    continue;
                }
                uint16_t* tile = static_cast<uint16_t*>(workspace) + t * g.k_pad * g.mr + 2 * r;
                if (i >= m) {
                    for (int64_t pair = 0; pair < g.k_pad / 2; ++pair) tile[pair * g.mr * 2] = tile[pair * g.mr * 2 + 1] = 0;
                    continue;
                }
                for (int64_t p0 = 0; p0 < k; p0 += g.kc) {
                    const int64_t count = std::min(g.kc, k - p0);
                    const uint16_t* v = bf16_pairs(kernels, a + i * lda + p0, nullptr, count, s.row_bf16);
                    for (int64_t pair = 0; pair < (count + 1) / 2; ++pair)
                        copy_pair(tile + (p0 / 2 + pair) * g.mr * 2, v + 2 * pair);
                }
            }
        }
    });
}

} // namespace

bool gemm_supports(const kernel_table& kernels, gemm_precision precision) {
    return precision == gemm_precision::f32 || kernels.gemm->tile_bf16 != nullptr;
}

size_t gemm_workspace_bytes(const kernel_table& kernels, gemm_precision precision, int64_t m, int64_t k, int n_threads) {
    if (!gemm_supports(kernels, precision) || m <= 0 || k <= 0 || n_threads <= 0) return 0;
    const geometry g = geometry_of(kernels, precision, m, k);
    return g.a_bytes + g.thread_bytes * static_cast<size_t>(n_threads);
}

void gemm(const kernel_table& kernels, thread_pool& pool, gemm_precision precision, const float* a, int64_t lda, int64_t m,
          const gemm_b& b, float* c, int64_t ldc, void* workspace) {
    PXL_CHECK_ARG(b.type == PXL_TENSOR_TYPE_F32 || b.type == PXL_TENSOR_TYPE_F16 || b.type == PXL_TENSOR_TYPE_BF16,
                  "gemm: B type %d is not F32, F16 or BF16", static_cast<int>(b.type));
    PXL_CHECK_ARG(gemm_supports(kernels, precision), "gemm: the %s kernel level has no BF16 micro-kernel (it needs AVX512_BF16)",
                  isa_name(kernels.isa));
    PXL_CHECK_ARG(m > 0 && b.n > 0 && b.k > 0, "gemm: empty shape (m %lld, n %lld, k %lld)", static_cast<long long>(m),
                  static_cast<long long>(b.n), static_cast<long long>(b.k));
    PXL_CHECK_ARG(lda >= b.k && b.ld >= b.k && ldc >= b.n, "gemm: a leading dimension is smaller than the row");
    PXL_CHECK_ARG(workspace != nullptr, "gemm: no workspace");

    const geometry g = geometry_of(kernels, precision, m, b.k);
    const bool bf16 = precision == gemm_precision::bf16;
    pack_a(kernels, pool, g, precision, a, lda, m, b.k, workspace);

    const int64_t n_blocks = (b.n + g.block_cols - 1) / g.block_cols;
    // Few column blocks (narrow outputs) leave threads idle; splitting the rows of A too gives
    // each thread work at the price of packing the same B block more than once.
    const int64_t m_groups = std::clamp<int64_t>((2 * pool.size() + n_blocks - 1) / n_blocks, 1, g.m_tiles);
    const int64_t tiles_per_group = (g.m_tiles + m_groups - 1) / m_groups;
    const gemm_kernels& tiles = *kernels.gemm;

    pool.parallel_for(n_blocks * m_groups, [&](int64_t begin, int64_t end, int worker) {
        const thread_scratch s = scratch_of(g, workspace, worker);
        for (int64_t task = begin; task < end; ++task) {
            const int64_t col0 = task / m_groups * g.block_cols;
            const int64_t panels = std::min<int64_t>(k_panels_per_block, (b.n - col0 + g.nr - 1) / g.nr);
            const int64_t t_begin = task % m_groups * tiles_per_group;
            const int64_t t_end = std::min(g.m_tiles, t_begin + tiles_per_group);
            for (int64_t p0 = 0; p0 < b.k; p0 += g.kc) {
                const int64_t kcb = std::min(g.kc, b.k - p0);
                const int64_t kcb_pad = bf16 ? (kcb + 1) / 2 * 2 : kcb;
                pack_b_block(kernels, g, precision, b, col0, panels, p0, kcb, s);
                const int accumulate = p0 > 0;
                for (int64_t t = t_begin; t < t_end; ++t) {
                    const int64_t row0 = t * g.mr;
                    const int rows = static_cast<int>(std::min<int64_t>(g.mr, m - row0));
                    for (int64_t q = 0; q < panels; ++q) {
                        const int64_t col = col0 + q * g.nr;
                        const int cols = static_cast<int>(std::min<int64_t>(g.nr, b.n - col));
                        const size_t a_at = static_cast<size_t>(t * g.k_pad * g.mr + p0 * g.mr);
                        const size_t b_at = static_cast<size_t>(q * kcb_pad * g.nr);
                        const bool full = rows == g.mr && cols == g.nr;
                        float* out = full ? c + row0 * ldc + col : s.c_tile;
                        const int64_t ld_out = full ? ldc : g.nr;
                        if (!full && accumulate)
                            for (int r = 0; r < rows; ++r)
                                std::memcpy(s.c_tile + r * g.nr, c + (row0 + r) * ldc + col, static_cast<size_t>(cols) * 4);
                        if (bf16)
                            tiles.tile_bf16(static_cast<const uint16_t*>(workspace) + a_at,
                                            static_cast<const uint16_t*>(s.b_block) + b_at, kcb_pad / 2, out, ld_out,
                                            accumulate);
                        else
                            tiles.tile_f32(static_cast<const float*>(workspace) + a_at,
                                           static_cast<const float*>(s.b_block) + b_at, kcb, out, ld_out, accumulate);
                        if (!full)
                            for (int r = 0; r < rows; ++r)
                                std::memcpy(c + (row0 + r) * ldc + col, s.c_tile + r * g.nr, static_cast<size_t>(cols) * 4);
                    }
                }
            }
        }
    });
}

} // namespace pxl::cpu
