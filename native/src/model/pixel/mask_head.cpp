#include "model/pixel/mask_head.h"

#include "core/error.h"
#include "cpu/conv.h"
#include "cpu/matmul.h"
#include "cpu/row_ops.h"
#include "model/pixel/two_way_transformer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pxl {

namespace {

constexpr int64_t k_levels = 2;

aligned_buffer floats(int64_t count) { return aligned_buffer(static_cast<size_t>(count) * sizeof(float)); }

const float* f32(const weight_tensor& w) { return static_cast<const float*>(w.data); }

void copy_rows(float* dst, const float* src, int64_t count) {
    if (dst != nullptr) std::memcpy(dst, src, static_cast<size_t>(count) * sizeof(float));
}

// §7.2 random-Fourier PE of a grid x grid image: pe [grid^2][2F], cell (r, c) at u = 2 (c + 0.5) /
// grid - 1 (x first), v likewise from r; phi_j = 2 pi (u G[0][j] + v G[1][j]); [sin phi, cos phi].
// In the reference's f32 order: (index + 0.5) / grid, times 2, minus 1; the 2-term product; 2 pi
// as an f32 constant (torch rounds the Python scalar to the tensor's dtype).
void random_fourier_pe(const float* gaussian, int64_t f, int64_t grid, float* pe) {
    constexpr float two_pi = static_cast<float>(2.0 * 3.14159265358979323846);
    for (int64_t r = 0; r < grid; ++r) {
        const float v = 2.0f * ((static_cast<float>(r) + 0.5f) / static_cast<float>(grid)) - 1.0f;
        for (int64_t c = 0; c < grid; ++c) {
            const float u = 2.0f * ((static_cast<float>(c) + 0.5f) / static_cast<float>(grid)) - 1.0f;
            float* row = pe + (r * grid + c) * 2 * f;
            for (int64_t j = 0; j < f; ++j) {
                const float phi = two_pi * (u * gaussian[j] + v * gaussian[f + j]);
                row[j] = std::sin(phi);
                row[f + j] = std::cos(phi);
            }
        }
    }
}

// The largest matmul workspace any mask-head weight needs for up to m rows.
size_t workspace_bytes(const mask_head_weights& w, int64_t m) {
    size_t bytes = 0;
    auto consider = [&](const weight_tensor& t) {
        bytes = std::max(bytes, cpu::matmul_workspace_bytes(static_cast<pxl_tensor_type>(t.type), m, t.dims[0]));
    };
    auto consider_attention = [&](const decoder_attention_weights& a) {
        for (const linear_weights* l : {&a.q, &a.k, &a.v, &a.out}) consider(l->weight);
    };
    consider(w.text_fc1.weight);
    consider(w.text_fc2.weight);
    // The convolutions' rows are k = Dm (1x1) and 9 C (3x3); GGUF's innermost dims are the kernel's.
    bytes = std::max(bytes, cpu::matmul_workspace_bytes(static_cast<pxl_tensor_type>(w.neck_conv1.type), m,
                                                        w.neck_conv1.dims[2]));
    bytes = std::max(bytes, cpu::matmul_workspace_bytes(static_cast<pxl_tensor_type>(w.neck_conv3.type), m,
                                                        9 * w.neck_conv3.dims[2]));
    for (const two_way_transformer_weights& t : w.transformer) {
        for (const two_way_layer_weights& l : t.layers) {
            consider_attention(l.self_attn);
            consider_attention(l.cross_token_to_image);
            consider_attention(l.cross_image_to_token);
            consider(l.lin1.weight);
            consider(l.lin2.weight);
        }
        consider_attention(t.final_token_to_image);
    }
    for (const auto& mlp : w.hypernetworks)
        for (const linear_weights& l : mlp) consider(l.weight);
    for (const linear_weights& l : w.iou_head) consider(l.weight);
    return bytes;
}

} // namespace

mask_head::mask_head(const pixel_model& model, int64_t max_targets) : model_(model), max_targets_(max_targets) {
    PXL_CHECK_ARG(max_targets >= 1, "max_targets is %lld; it must be at least 1", static_cast<long long>(max_targets));
    const pixel_hparams& hp = model.hparams();
    const mask_head_weights& w = model.mask_head();
    const int64_t c = hp.decoder.n_embd, g = hp.vision.grid, hw0 = g * g, hw1 = 4 * hw0;
    const int64_t s = hp.seg_token_num * hp.scale_num, t = hp.decoder.n_tokens();
    const int64_t n = max_targets;
    const int64_t image_width = std::max(c / hp.decoder.downsample, c / 2);
    pe_[0] = floats(hw0 * c);
    pe_[1] = floats(hw1 * c);
    random_fourier_pe(f32(w.pe_gaussian), c / 2, g, pe_[0].data_as<float>());
    random_fourier_pe(f32(w.pe1_gaussian), c / 2, 2 * g, pe_[1].data_as<float>());
    zero_positions_ = aligned_buffer(static_cast<size_t>(hw1) * sizeof(int32_t));
    std::memset(zero_positions_.data(), 0, zero_positions_.size());
    matmul_workspace_ = aligned_buffer(workspace_bytes(w, std::max({n * hw1, 2 * hw0, n * s})));
    neck_rows_ = floats(2 * hw0 * c);
    columns_ = floats(hw0 * 9 * c);
    upsampled_ = floats(hw1 * c);
    seg_hidden_fc_ = floats(n * s * hp.llm_n_embd);
    text_fcs_ = floats(n * s * c);
    queries_ = floats(n * k_levels * c);
    for (aligned_buffer* b : {&tokens_, &token_queries_, &tokens_pe_, &token_q_, &token_k_, &token_v_,
                              &token_attended_, &token_out_})
        *b = floats(n * t * c);
    mlp_hidden_ = floats(n * t * hp.decoder.n_ff);
    keys_ = floats(n * hw1 * c);
    keys_pe_ = floats(n * hw1 * c);
    image_a_ = floats(n * hw1 * image_width);
    image_b_ = floats(n * hw1 * image_width);
    head_in_ = floats(n * c);
    head_hidden_a_ = floats(n * c);
    head_hidden_b_ = floats(n * c);
    head_out_ = floats(n * std::max(c / 8, hp.decoder.n_mask_tokens()));
}

void mask_head::prepare_features(thread_pool& pool, const float* features, float* neck) {
    const pixel_hparams& hp = model_.hparams();
    const mask_head_weights& w = model_.mask_head();
    const cpu::kernel_table& kernels = cpu::active_kernels();
    const int64_t c = hp.decoder.n_embd, g = hp.vision.grid, hw = g * g;
    const float eps = hp.decoder.ln2d_eps;
    float* rows = neck_rows_.data_as<float>(); // [2 hw][C]
    float* columns = columns_.data_as<float>(); // [hw][9 C]
    // Conv1x1 (no bias) over both scales at once, then LayerNorm2d.
    const cpu::matmul_weights conv1{static_cast<pxl_tensor_type>(w.neck_conv1.type), w.neck_conv1.data, c,
                                    hp.projector.n_output};
    cpu::matmul(kernels, pool, conv1, features, 2 * hw, rows, matmul_workspace_.data());
    cpu::layer_norm(kernels, pool, rows, f32(w.neck_norm1.weight), f32(w.neck_norm1.bias), rows, 2 * hw, c, eps);
    // Conv3x3, pad 1 (no bias), one scale at a time, then LayerNorm2d.
    const cpu::matmul_weights conv3{static_cast<pxl_tensor_type>(w.neck_conv3.type), w.neck_conv3.data, c, 9 * c};
    for (int64_t scale = 0; scale < k_levels; ++scale) {
        cpu::im2col_3x3(pool, rows + scale * hw * c, g, g, c, columns);
        cpu::matmul(kernels, pool, conv3, columns, hw, neck + scale * hw * c, matmul_workspace_.data());
    }
    cpu::layer_norm(kernels, pool, neck, f32(w.neck_norm2.weight), f32(w.neck_norm2.bias), neck, 2 * hw, c, eps);
}

void mask_head::decode(thread_pool& pool, const float* neck, const float* seg_hidden, int64_t n_targets,
                       const mask_decode_outputs& out) {
    PXL_CHECK_ARG(n_targets >= 1, "n_targets is %lld; decoding needs at least one target",
                  static_cast<long long>(n_targets));
    PXL_CHECK_ARG(out.level0 != nullptr && out.level1 != nullptr, "the level 0 and level 1 mask outputs are required");
    const pixel_hparams& hp = model_.hparams();
    const mask_head_weights& w = model_.mask_head();
    const cpu::kernel_table& kernels = cpu::active_kernels();
    const int64_t c = hp.decoder.n_embd, g = hp.vision.grid, hw0 = g * g, hw1 = 4 * hw0;
    const int64_t s = hp.seg_token_num * hp.scale_num, t = hp.decoder.n_tokens(), n_iou = hp.decoder.n_mask_tokens();
    if (out.pe[0] != nullptr) copy_rows(out.pe[0], pe_[0].data_as<float>(), hw0 * c);
    if (out.pe[1] != nullptr) copy_rows(out.pe[1], pe_[1].data_as<float>(), hw1 * c);

    // §8.4 level 1's image, the same for every target: GELU(LN2d(ConvT_2x(Y[1]))).
    const conv_transpose_weights& up = w.upsample_2x;
    const cpu::matmul_weights up_kernel{PXL_TENSOR_TYPE_F32, up.kernel.data(), 4 * up.c_out, up.c_in};
    float* taps = keys_pe_.data_as<float>(); // [hw0][4 C], free until the transformer runs
    cpu::matmul(kernels, pool, up_kernel, neck + hw0 * c, hw0, taps, nullptr);
    float* upsampled = upsampled_.data_as<float>();
    cpu::depth_to_space_2x2(pool, taps, g, g, c, f32(up.bias), upsampled);
    cpu::layer_norm(kernels, pool, upsampled, f32(w.upsample_norm.weight), f32(w.upsample_norm.bias), upsampled, hw1, c,
                    hp.decoder.ln2d_eps);
    cpu::gelu_erf(kernels, pool, upsampled, upsampled, hw1 * c);

    // Targets never interact: chunks of max_targets give the same results as one batch.
    for (int64_t first = 0; first < n_targets; first += max_targets_) {
        const int64_t n = std::min(max_targets_, n_targets - first);
        auto at = [first](float* p, int64_t per_target) { return p != nullptr ? p + first * per_target : nullptr; };
        mask_decode_outputs chunk = out;
        chunk.level0 = at(out.level0, hw1);
        chunk.level1 = at(out.level1, 4 * hw1);
        chunk.iou = at(out.iou, k_levels * n_iou);
        chunk.text_fcs = at(out.text_fcs, s * c);
        chunk.queries = at(out.queries, k_levels * c);
        for (int level = 0; level < k_levels; ++level) {
            const int64_t hw = level == 0 ? hw0 : hw1;
            chunk.src[level] = at(out.src[level], hw * c);
            chunk.tokens[level] = at(out.tokens[level], t * c);
            chunk.out_queries[level] = at(out.out_queries[level], t * c);
            chunk.keys[level] = at(out.keys[level], hw * c);
        }
        decode_chunk(pool, neck, seg_hidden + first * s * hp.llm_n_embd, n, chunk);
    }
}

void mask_head::decode_chunk(thread_pool& pool, const float* neck, const float* seg_hidden, int64_t n,
                             const mask_decode_outputs& out) {
    const pixel_hparams& hp = model_.hparams();
    const mask_head_weights& w = model_.mask_head();
    const cpu::kernel_table& kernels = cpu::active_kernels();
    const mask_head_compute compute{kernels, pool, matmul_workspace_.data(), zero_positions_.data_as<int32_t>(),
                                    static_cast<int>(hp.decoder.n_head)};
    const int64_t c = hp.decoder.n_embd, n_seg = hp.seg_token_num, s = n_seg * hp.scale_num;

    // §7.1 text_hidden_fcs: Linear(D -> D), ReLU, Linear(D -> C) on every codebook state.
    float* hidden = seg_hidden_fc_.data_as<float>(); // [n S][D]
    float* text = text_fcs_.data_as<float>();         // [n S][C]
    mask_head_linear(compute, w.text_fc1, seg_hidden, n * s, hidden);
    cpu::relu(kernels, pool, hidden, hidden, n * s * hp.llm_n_embd);
    mask_head_linear(compute, w.text_fc2, hidden, n * s, text);
    copy_rows(out.text_fcs, text, n * s * c);

    // §6.4 steps 3-4: E[t, l, j] = text[S t + n_seg l + j]; Q[t, l] = ((0 E0 + a0 E0) + a1 E1) + a2 E2,
    // each product and sum rounded to f32, in the reference's order.
    float* queries = queries_.data_as<float>(); // [n][2][C]
    const std::vector<float>& alpha = hp.multiseg_scalar;
    for (int64_t t = 0; t < n; ++t) {
        for (int64_t level = 0; level < k_levels; ++level) {
            const float* e = text + (t * s + level * n_seg) * c;
            float* q = queries + (t * k_levels + level) * c;
            for (int64_t i = 0; i < c; ++i) {
                float sum = e[i] * 0.0f;
                for (int64_t j = 0; j < n_seg; ++j) {
                    const float term = alpha[static_cast<size_t>(j)] * e[j * c + i];
                    sum = sum + term;
                }
                q[i] = sum;
            }
        }
    }
    copy_rows(out.queries, queries, n * k_levels * c);

    run_level(pool, 0, neck, n, out.level0, out.iou, out);
    run_level(pool, 1, nullptr, n, out.level1, out.iou != nullptr ? out.iou + hp.decoder.n_mask_tokens() : nullptr, out);
}

// §8.4 for one level over n targets. Level 0 reads the neck's first scale; level 1 the shared
// upsampled image, gated per target by level 0's logits (out.level0, already written).
void mask_head::run_level(thread_pool& pool, int level, const float* neck, int64_t n, float* masks, float* iou,
                          const mask_decode_outputs& out) {
    const pixel_hparams& hp = model_.hparams();
    const decoder_hparams& d = hp.decoder;
    const mask_head_weights& w = model_.mask_head();
    const cpu::kernel_table& kernels = cpu::active_kernels();
    const mask_head_compute compute{kernels, pool, matmul_workspace_.data(), zero_positions_.data_as<int32_t>(),
                                    static_cast<int>(d.n_head)};
    const int64_t c = d.n_embd, n_masks = d.n_mask_tokens(), t_count = d.n_tokens();
    const int64_t grid = hp.vision.grid << level, hw = grid * grid, up_c = c / 8;

    // Step 1: T0 = [iou_token; mask_tokens; Q[:, level]] + level_embed[level], [n][T][C].
    float* tokens = tokens_.data_as<float>();
    for (int64_t t = 0; t < n; ++t) {
        float* row = tokens + t * t_count * c;
        std::memcpy(row, w.iou_token.data, static_cast<size_t>(c) * sizeof(float));
        std::memcpy(row + c, w.mask_tokens.data, static_cast<size_t>(n_masks * c) * sizeof(float));
        std::memcpy(row + (n_masks + 1) * c, queries_.data_as<float>() + (t * k_levels + level) * c,
                    static_cast<size_t>(c) * sizeof(float));
    }
    cpu::add_bias(kernels, pool, tokens, f32(w.level_embed) + level * c, n * t_count, c);
    copy_rows(out.tokens[level], tokens, n * t_count * c);

    // Steps 2-3: src (+ the dense no-mask embedding, a constant per channel, so its bilinear
    // resize at level 1 is the identity) per target, [n][hw][C].
    float* keys = keys_.data_as<float>();
    if (level == 0) {
        for (int64_t t = 0; t < n; ++t) std::memcpy(keys + t * hw * c, neck, static_cast<size_t>(hw * c) * sizeof(float));
    } else {
        // (1 + sigmoid(m0)) broadcast over the channels of each pixel.
        const float* upsampled = upsampled_.data_as<float>();
        for (int64_t t = 0; t < n; ++t) {
            const float* m0 = out.level0 + t * hw;
            float* dst = keys + t * hw * c;
            pool.parallel_for(hw, [&](int64_t begin, int64_t end, int) {
                for (int64_t p = begin; p < end; ++p) {
                    const float gate = 1.0f / (1.0f + std::exp(-m0[p])) + 1.0f;
                    kernels.row->scale(upsampled + p * c, gate, dst + p * c, c);
                }
            });
        }
    }
    cpu::add_bias(kernels, pool, keys, f32(w.no_mask_embed), n * hw, c);
    copy_rows(out.src[level], keys, n * hw * c);

    // Step 3: the two-way transformer.
    float* queries = token_queries_.data_as<float>();
    std::memcpy(queries, tokens, static_cast<size_t>(n * t_count * c) * sizeof(float));
    const two_way_buffers buffers{queries,
                                  tokens,
                                  keys,
                                  pe_[level].data_as<float>(),
                                  keys_pe_.data_as<float>(),
                                  image_a_.data_as<float>(),
                                  image_b_.data_as<float>(),
                                  tokens_pe_.data_as<float>(),
                                  token_q_.data_as<float>(),
                                  token_k_.data_as<float>(),
                                  token_v_.data_as<float>(),
                                  token_attended_.data_as<float>(),
                                  token_out_.data_as<float>(),
                                  mlp_hidden_.data_as<float>()};
    two_way_transformer(compute, w.transformer[static_cast<size_t>(level)], d, buffers, n, t_count, hw);
    copy_rows(out.out_queries[level], queries, n * t_count * c);
    copy_rows(out.keys[level], keys, n * hw * c);

    // Step 4: U = GELU(LN2d(ConvT(K))) [n][(2 grid)^2][C / 8], every target's image on its own.
    const conv_transpose_weights& upscale = w.output_upscaling;
    const cpu::matmul_weights up_kernel{PXL_TENSOR_TYPE_F32, upscale.kernel.data(), 4 * up_c, c};
    float* taps = image_a_.data_as<float>();  // [n][hw][4 C / 8]
    float* image = image_b_.data_as<float>(); // [n][4 hw][C / 8]
    cpu::matmul(kernels, pool, up_kernel, keys, n * hw, taps, nullptr);
    for (int64_t t = 0; t < n; ++t)
        cpu::depth_to_space_2x2(pool, taps + t * hw * 4 * up_c, grid, grid, up_c, f32(upscale.bias),
                                image + t * 4 * hw * up_c);
    cpu::layer_norm(kernels, pool, image, f32(w.upscaling_norm.weight), f32(w.upscaling_norm.bias), image, n * 4 * hw,
                    up_c, d.ln2d_eps);
    cpu::gelu_erf(kernels, pool, image, image, n * 4 * hw * up_c);

    // Steps 5, 7: only mask 0 is kept (multimask_output = False), so only hypernetwork 0 runs:
    // hyp = MLP_0(Qy[:, 1]) [n][C / 8], masks[t][p] = hyp[t] . U[t][p].
    float* head_in = head_in_.data_as<float>();
    float* head_a = head_hidden_a_.data_as<float>();
    float* head_b = head_hidden_b_.data_as<float>();
    float* head_out = head_out_.data_as<float>();
    auto run_mlp3 = [&](const std::array<linear_weights, 3>& mlp) {
        mask_head_linear(compute, mlp[0], head_in, n, head_a);
        cpu::relu(kernels, pool, head_a, head_a, n * c);
        mask_head_linear(compute, mlp[1], head_a, n, head_b);
        cpu::relu(kernels, pool, head_b, head_b, n * c);
        mask_head_linear(compute, mlp[2], head_b, n, head_out);
    };
    for (int64_t t = 0; t < n; ++t)
        std::memcpy(head_in + t * c, queries + (t * t_count + 1) * c, static_cast<size_t>(c) * sizeof(float));
    run_mlp3(w.hypernetworks[0]);
    for (int64_t t = 0; t < n; ++t) {
        const cpu::matmul_weights hyper{PXL_TENSOR_TYPE_F32, head_out + t * up_c, 1, up_c};
        cpu::matmul(kernels, pool, hyper, image + t * 4 * hw * up_c, 4 * hw, masks + t * 4 * hw, nullptr);
    }

    // Step 6: iou = iou_head(Qy[:, 0]) [n][n_masks], written at [t][level] of [n][2][n_masks].
    if (iou == nullptr) return;
    for (int64_t t = 0; t < n; ++t)
        std::memcpy(head_in + t * c, queries + t * t_count * c, static_cast<size_t>(c) * sizeof(float));
    run_mlp3(w.iou_head);
    for (int64_t t = 0; t < n; ++t)
        std::memcpy(iou + t * k_levels * n_masks, head_out + t * n_masks, static_cast<size_t>(n_masks) * sizeof(float));
}

} // namespace pxl
