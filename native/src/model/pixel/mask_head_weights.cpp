#include "model/pixel/mask_head_weights.h"

#include "cpu/convert.h"
#include "model/weight_binding.h"

#include <string>

namespace pxl {

namespace {

linear_weights bind_linear(const gguf_file& file, const std::string& prefix, int64_t in, int64_t out) {
    return {bind_weight(file, prefix + ".weight", {in, out}, weight_types::matrix),
            bind_weight(file, prefix + ".bias", {out}, weight_types::norm)};
}

layer_norm_weights bind_norm(const gguf_file& file, const std::string& prefix, int64_t n) {
    return {bind_weight(file, prefix + ".weight", {n}, weight_types::norm),
            bind_weight(file, prefix + ".bias", {n}, weight_types::norm)};
}

decoder_attention_weights bind_attention(const gguf_file& file, const std::string& prefix, int64_t c, int64_t inner) {
    decoder_attention_weights a;
    a.q = bind_linear(file, prefix + ".q_proj", c, inner);
    a.k = bind_linear(file, prefix + ".k_proj", c, inner);
    a.v = bind_linear(file, prefix + ".v_proj", c, inner);
    a.out = bind_linear(file, prefix + ".out_proj", inner, c);
    a.inner = inner;
    return a;
}

two_way_transformer_weights bind_transformer(const gguf_file& file, const std::string& prefix, const decoder_hparams& d) {
    const int64_t c = d.n_embd, inner = d.n_embd / d.downsample;
    two_way_transformer_weights t;
    for (int64_t i = 0; i < d.n_layer; ++i) {
        const std::string p = prefix + ".layers." + std::to_string(i) + ".";
        two_way_layer_weights layer;
        layer.self_attn = bind_attention(file, p + "self_attn", c, c);
        layer.norm1 = bind_norm(file, p + "norm1", c);
        layer.cross_token_to_image = bind_attention(file, p + "cross_attn_token_to_image", c, inner);
        layer.norm2 = bind_norm(file, p + "norm2", c);
        layer.lin1 = bind_linear(file, p + "mlp.lin1", c, d.n_ff);
        layer.lin2 = bind_linear(file, p + "mlp.lin2", d.n_ff, c);
        layer.norm3 = bind_norm(file, p + "norm3", c);
        layer.norm4 = bind_norm(file, p + "norm4", c);
        layer.cross_image_to_token = bind_attention(file, p + "cross_attn_image_to_token", c, inner);
        t.layers.push_back(layer);
    }
    t.final_token_to_image = bind_attention(file, prefix + ".final_attn_token_to_image", c, inner);
    t.norm_final = bind_norm(file, prefix + ".norm_final_attn", c);
    return t;
}

// [c_in, c_out, 2, 2] (PyTorch's ConvTranspose2d layout) -> [(a * 2 + b) * c_out + o][c_in] f32.
conv_transpose_weights bind_conv_transpose(const gguf_file& file, const std::string& prefix, int64_t c_in,
                                           int64_t c_out) {
    const weight_tensor w = bind_weight(file, prefix + ".weight", {2, 2, c_out, c_in}, weight_types::matrix);
    std::vector<float> file_order(static_cast<size_t>(c_in * c_out * 4));
    cpu::to_f32(static_cast<pxl_tensor_type>(w.type), w.data, file_order.data(), c_in * c_out * 4);
    conv_transpose_weights t;
    t.kernel.resize(file_order.size());
    for (int64_t i = 0; i < c_in; ++i)
        for (int64_t o = 0; o < c_out; ++o)
            for (int64_t tap = 0; tap < 4; ++tap)
                t.kernel[static_cast<size_t>((tap * c_out + o) * c_in + i)] =
                    file_order[static_cast<size_t>((i * c_out + o) * 4 + tap)];
    t.bias = bind_weight(file, prefix + ".bias", {c_out}, weight_types::norm);
    t.c_in = c_in;
    t.c_out = c_out;
    return t;
}

std::array<linear_weights, 3> bind_mlp3(const gguf_file& file, const std::string& prefix, int64_t c, int64_t out) {
    return {bind_linear(file, prefix + ".layers.0", c, c), bind_linear(file, prefix + ".layers.1", c, c),
            bind_linear(file, prefix + ".layers.2", c, out)};
}

} // namespace

mask_head_weights bind_mask_head_weights(const gguf_file& file, const pixel_hparams& hp) {
    const decoder_hparams& d = hp.decoder;
    const int64_t c = d.n_embd, dl = hp.llm_n_embd, dm = hp.projector.n_output, n_masks = d.n_mask_tokens();
    mask_head_weights w;
    w.text_fc1 = bind_linear(file, "text_hidden_fcs.0.0", dl, dl);
    w.text_fc2 = bind_linear(file, "text_hidden_fcs.0.2", dl, c);
    w.neck_conv1 = bind_weight(file, "image_feature_neck.0.weight", {1, 1, dm, c}, weight_types::matrix);
    w.neck_norm1 = bind_norm(file, "image_feature_neck.1", c);
    w.neck_conv3 = bind_weight(file, "image_feature_neck.2.weight", {3, 3, c, c}, weight_types::matrix);
    w.neck_norm2 = bind_norm(file, "image_feature_neck.3", c);
    w.pe_gaussian = bind_weight(file, "prompt_encoder.pe_layer.positional_encoding_gaussian_matrix", {c / 2, 2},
                                weight_types::norm);
    w.no_mask_embed = bind_weight(file, "prompt_encoder.no_mask_embed.weight", {c, 1}, weight_types::norm);
    for (size_t level = 0; level < w.transformer.size(); ++level)
        w.transformer[level] = bind_transformer(file, "mask_decoder.transformer." + std::to_string(level), d);
    w.iou_token = bind_weight(file, "mask_decoder.iou_token.weight", {c, 1}, weight_types::norm);
    w.mask_tokens = bind_weight(file, "mask_decoder.mask_tokens.weight", {c, n_masks}, weight_types::norm);
    w.level_embed = bind_weight(file, "mask_decoder.level_embed.weight", {c, 2}, weight_types::norm);
    w.output_upscaling = bind_conv_transpose(file, "mask_decoder.output_upscaling.0", c, c / 8);
    w.upscaling_norm = bind_norm(file, "mask_decoder.output_upscaling.1", c / 8);
    w.upsample_2x = bind_conv_transpose(file, "mask_decoder.upsample_2x.0", c, c);
    w.upsample_norm = bind_norm(file, "mask_decoder.upsample_2x.1", c);
    w.pe1_gaussian = bind_weight(file, "mask_decoder.pe1.positional_encoding_gaussian_matrix", {c / 2, 2},
                                 weight_types::norm);
    for (int64_t i = 0; i < n_masks; ++i)
        w.hypernetworks.push_back(
            bind_mlp3(file, "mask_decoder.output_hypernetworks_mlps." + std::to_string(i), c, c / 8));
    w.iou_head = bind_mlp3(file, "mask_decoder.iou_prediction_head", c, n_masks);
    return w;
}

} // namespace pxl
