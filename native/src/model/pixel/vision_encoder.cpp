#include "model/pixel/vision_encoder.h"

#include "cpu/dense_attention.h"
#include "cpu/kernels.h"
#include "cpu/row_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pxl {

namespace {

aligned_buffer floats(int64_t count) { return aligned_buffer(static_cast<size_t>(count) * sizeof(float)); }

// A weight as GEMM operand: its outermost dimension counts the outputs, the rest is one row.
cpu::gemm_b as_gemm_b(const weight_tensor& w) {
    const int64_t n = w.dims[w.n_dims - 1];
    const int64_t k = w.dims[0] * w.dims[1] * w.dims[2] * w.dims[3] / n;
    return {static_cast<pxl_tensor_type>(w.type), w.data, n, k, k};
}

const float* f32(const weight_tensor& w) { return static_cast<const float*>(w.data); }

struct runner {
    const cpu::kernel_table& kernels;
    thread_pool& pool;
    cpu::gemm_precision precision;
    vision_scratch& s;

    // y [m][n] = x [m][k] W^T (+ bias) for W [n][k]; x rows lda apart.
    void linear(const weight_tensor& w, const weight_tensor* bias, const float* x, int64_t lda, int64_t m, float* y) {
        const cpu::gemm_b b = as_gemm_b(w);
        cpu::gemm(kernels, pool, precision, x, lda, m, b, y, b.n, s.gemm_workspace.data());
        if (bias != nullptr) cpu::add_bias(kernels, pool, y, f32(*bias), m, b.n);
    }

    // Linear -> GELU(erf) -> Linear over m rows of x (row stride lda): spec §4.1.
    void project(const projector_weights& p, const float* x, int64_t lda, int64_t m, float* y) {
        float* hidden = s.hidden.data_as<float>();
        const int64_t n_hidden = p.fc1_b.dims[0];
        linear(p.fc1_w, &p.fc1_b, x, lda, m, hidden);
        cpu::gelu_erf(kernels, pool, hidden, hidden, m * n_hidden);
        linear(p.fc2_w, &p.fc2_b, hidden, n_hidden, m, y);
    }
};

// patches [G G][3 P P] from pixels [3][S][S]: row g y G + g x holds channel c, row ky, column kx of
// patch (gy, gx) at c P P + ky P + kx, the order of the convolution kernel's flattened rows.
void im2col(thread_pool& pool, const vision_hparams& v, const float* pixels, float* patches) {
    const int64_t p = v.patch_size, g = v.grid, s = v.image_size, row = 3 * p * p;
    pool.parallel_for(g, [&](int64_t begin, int64_t end, int) {
        for (int64_t gy = begin; gy < end; ++gy)
            for (int64_t gx = 0; gx < g; ++gx)
                for (int64_t c = 0; c < 3; ++c)
                    for (int64_t ky = 0; ky < p; ++ky)
                        std::memcpy(patches + (gy * g + gx) * row + (c * p + ky) * p,
                                    pixels + (c * s + gy * p + ky) * s + gx * p, static_cast<size_t>(p) * sizeof(float));
    });
}

// The CLIP key mask of §2.5: CLS visible; patch (i, j) visible iff P i < h' and P j < w'.
void build_key_mask(const vision_hparams& v, int32_t valid_height, int32_t valid_width, std::vector<uint64_t>& bits) {
    std::fill(bits.begin(), bits.end(), 0);
    for (int64_t i = 0; i < v.grid; ++i) {
        for (int64_t j = 0; j < v.grid; ++j) {
            if (v.patch_size * i < valid_height && v.patch_size * j < valid_width) continue;
            const int64_t key = 1 + i * v.grid + j;
            bits[static_cast<size_t>(key / 64)] |= uint64_t{1} << (key % 64);
        }
    }
}

// pooled [G/2 G/2][Cv] = the mean of each 2x2 block of patches (bilinear at exactly half size,
// §4.2), summed as ((v00 + v01) + (v10 + v11)) / 4: the reference's 0.5 weights nest to exactly this.
void pool_2x2(const vision_hparams& v, const float* features, float* pooled) {
    const int64_t g = v.grid, h = g / 2, c = v.n_embd;
    for (int64_t u = 0; u < h; ++u) {
        for (int64_t w = 0; w < h; ++w) {
            const float* f00 = features + ((2 * u) * g + 2 * w) * c;
            const float* f01 = f00 + c;
            const float* f10 = f00 + g * c;
            const float* f11 = f10 + c;
            float* out = pooled + (u * h + w) * c;
            for (int64_t i = 0; i < c; ++i) out[i] = ((f00[i] + f01[i]) + (f10[i] + f11[i])) * 0.25f;
        }
    }
}

void copy_rows(const float* src, float* dst, int64_t count) {
    if (dst != nullptr) std::memcpy(dst, src, static_cast<size_t>(count) * sizeof(float));
}

} // namespace

vision_scratch::vision_scratch(const pixel_model& model, cpu::gemm_precision precision, int n_threads) {
    const pixel_hparams& hp = model.hparams();
    const vision_hparams& tower = hp.vision;
    const int64_t n_pos = tower.n_positions(), c = tower.n_embd, patch_row = 3 * tower.patch_size * tower.patch_size;
    patches = floats(tower.n_patches() * patch_row);
    x = floats(n_pos * c);
    xn = floats(n_pos * c);
    q = floats(n_pos * c);
    k = floats(n_pos * c);
    v = floats(n_pos * c);
    attention = floats(n_pos * c);
    hidden = floats(std::max(n_pos * tower.n_ff, tower.n_patches() * hp.projector.n_hidden));
    hs_deep = floats(n_pos * c);
    hs_mid = floats(n_pos * c);
    pooled = floats(hp.projector.image_grid * hp.projector.image_grid * c);
    const int head_size = static_cast<int>(c / tower.n_head);
    attention_scratch = floats(static_cast<int64_t>(cpu::dense_attention_scratch_floats(n_pos, head_size)));
    const cpu::kernel_table& kernels = cpu::active_kernels();
    const int64_t max_k = std::max({patch_row, c, tower.n_ff, hp.projector.n_hidden});
    gemm_workspace = aligned_buffer(
        std::max(cpu::gemm_workspace_bytes(kernels, precision, n_pos, max_k, n_threads),
                 cpu::dense_attention_gemm_workspace_bytes(kernels, precision, n_pos, head_size, n_threads)));
    key_masked.assign(static_cast<size_t>((n_pos + 63) / 64), 0);
}

void vision_encode(const pixel_model& model, vision_scratch& s, thread_pool& pool, cpu::gemm_precision precision,
                   const float* pixels, int32_t valid_height, int32_t valid_width, const vision_outputs& out) {
    const pixel_hparams& hp = model.hparams();
    const vision_hparams& v = hp.vision;
    const vision_weights& w = model.vision();
    const cpu::kernel_table& kernels = cpu::active_kernels();
    runner run{kernels, pool, precision, s};
    const int64_t n_pos = v.n_positions(), c = v.n_embd, n_patches = v.n_patches();

    float* x = s.x.data_as<float>();   // [n_pos][c]
    float* xn = s.xn.data_as<float>(); // [n_pos][c]
    float* q = s.q.data_as<float>();
    float* k = s.k.data_as<float>();
    float* val = s.v.data_as<float>();
    float* attention = s.attention.data_as<float>();
    float* hidden = s.hidden.data_as<float>(); // [n_pos][n_ff]

    // Embeddings (§3.3): the bias-free patch convolution as a GEMM over patch rows, CLS first,
    // plus the stretched position table, then the pre-LayerNorm: hs[0].
    float* patches = s.patches.data_as<float>();
    im2col(pool, v, pixels, patches);
    run.linear(w.patch_embd, nullptr, patches, 3 * v.patch_size * v.patch_size, n_patches, x + c);
    std::memcpy(x, w.class_embd.data, static_cast<size_t>(c) * sizeof(float));
    cpu::add(kernels, pool, x, f32(w.position), x, n_pos * c);
    cpu::layer_norm(kernels, pool, x, f32(w.pre_ln_w), f32(w.pre_ln_b), x, n_pos, c, v.ln_eps);
    copy_rows(x, out.hs0, n_pos * c);

    build_key_mask(v, valid_height, valid_width, s.key_masked);
    cpu::dense_attention_args args{};
    args.q = q;
    args.k = k;
    args.v = val;
    args.n = n_pos;
    args.n_head = static_cast<int>(v.n_head);
    args.head_size = static_cast<int>(c / v.n_head);
    args.ld = c;
    args.key_masked = s.key_masked.data();
    args.out = attention;
    args.precision = precision;
    // CLIP scales the projected queries, not the scores (§3.3).
    const float q_scale = 1.0f / std::sqrt(static_cast<float>(args.head_size));

    const int64_t layer_deep = v.layer_of(v.select_deep), layer_mid = v.layer_of(v.select_mid);
    for (int64_t layer = 1; layer <= static_cast<int64_t>(w.layers.size()); ++layer) {
        const vision_layer_weights& l = w.layers[static_cast<size_t>(layer - 1)];
        // x += out_proj(Attn(LN1(x))): non-causal, padded patches hidden as keys
        cpu::layer_norm(kernels, pool, x, f32(l.ln1_w), f32(l.ln1_b), xn, n_pos, c, v.ln_eps);
        run.linear(l.q_w, &l.q_b, xn, c, n_pos, q);
        kernels.row->scale(q, q_scale, q, n_pos * c);
        run.linear(l.k_w, &l.k_b, xn, c, n_pos, k);
        run.linear(l.v_w, &l.v_b, xn, c, n_pos, val);
        cpu::dense_attention(kernels, pool, args, s.attention_scratch.data_as<float>(), s.gemm_workspace.data());
        run.linear(l.o_w, &l.o_b, attention, c, n_pos, xn);
        cpu::add(kernels, pool, x, xn, x, n_pos * c);
        // x += fc2(quick_gelu(fc1(LN2(x))))
        cpu::layer_norm(kernels, pool, x, f32(l.ln2_w), f32(l.ln2_b), xn, n_pos, c, v.ln_eps);
        run.linear(l.fc1_w, &l.fc1_b, xn, c, n_pos, hidden);
        cpu::quick_gelu(kernels, pool, hidden, hidden, n_pos * v.n_ff);
        run.linear(l.fc2_w, &l.fc2_b, hidden, v.n_ff, n_pos, xn);
        cpu::add(kernels, pool, x, xn, x, n_pos * c);
        if (layer == layer_deep) std::memcpy(s.hs_deep.data(), x, static_cast<size_t>(n_pos * c) * sizeof(float));
        if (layer == layer_mid) std::memcpy(s.hs_mid.data(), x, static_cast<size_t>(n_pos * c) * sizeof(float));
    }
    const float* hs_deep = s.hs_deep.data_as<float>();
    const float* hs_mid = s.hs_mid.data_as<float>();
    copy_rows(hs_deep, out.hs_deep, n_pos * c);
    copy_rows(hs_mid, out.hs_mid, n_pos * c);

    // LLM image tokens (§4.2): F_deep (CLS dropped) pooled 2x2, then mm_projector.
    float* pooled = s.pooled.data_as<float>();
    pool_2x2(v, hs_deep + c, pooled);
    const int64_t n_tokens = hp.projector.image_grid * hp.projector.image_grid;
    copy_rows(pooled, out.pooled, n_tokens * c);
    run.project(w.mm_projector, pooled, c, n_tokens, out.image_tokens);

    // Mask-branch features (§4.3): the shared out_mm_projector on F_deep, then on F_mid, padded
    // patches included.
    if (out.mask_features != nullptr) {
        run.project(w.out_mm_projector, hs_deep + c, c, n_patches, out.mask_features);
        run.project(w.out_mm_projector, hs_mid + c, c, n_patches, out.mask_features + n_patches * hp.llm_n_embd);
    }
}

} // namespace pxl
