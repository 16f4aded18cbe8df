#include "model/pixel/vision_weights.h"

#include "model/weight_binding.h"

#include <algorithm>
#include <string>

namespace pxl {

namespace {

projector_weights bind_projector(const gguf_file& file, const std::string& prefix, const projector_hparams& p) {
    projector_weights w;
    w.fc1_w = bind_weight(file, prefix + ".0.weight", {p.n_input, p.n_hidden}, weight_types::float_matrix);
    w.fc1_b = bind_weight(file, prefix + ".0.bias", {p.n_hidden}, weight_types::norm);
    w.fc2_w = bind_weight(file, prefix + ".2.weight", {p.n_hidden, p.n_output}, weight_types::float_matrix);
    w.fc2_b = bind_weight(file, prefix + ".2.bias", {p.n_output}, weight_types::norm);
    return w;
}

} // namespace

int64_t vision_layers_used(const vision_hparams& v) {
    return std::max(v.layer_of(v.select_deep), v.layer_of(v.select_mid));
}

vision_weights bind_vision_weights(const gguf_file& file, const pixel_hparams& hp) {
    const vision_hparams& v = hp.vision;
    const int64_t c = v.n_embd;
    vision_weights w;
    w.patch_embd = bind_weight(file, "vision_model.embeddings.patch_embedding.weight", {v.patch_size, v.patch_size, 3, c},
                               weight_types::float_matrix);
    w.class_embd = bind_weight(file, "vision_model.embeddings.class_embedding", {c}, weight_types::norm);
    w.position = bind_weight(file, "vision_model.embeddings.position_embedding.weight", {c, v.n_positions()},
                             weight_types::norm);
    w.pre_ln_w = bind_weight(file, "vision_model.pre_layrnorm.weight", {c}, weight_types::norm);
    w.pre_ln_b = bind_weight(file, "vision_model.pre_layrnorm.bias", {c}, weight_types::norm);
    const int64_t n_used = vision_layers_used(v);
    w.layers.reserve(static_cast<size_t>(n_used));
    for (int64_t i = 0; i < n_used; ++i) {
        const std::string p = "vision_model.encoder.layers." + std::to_string(i) + ".";
        vision_layer_weights l;
        l.ln1_w = bind_weight(file, p + "layer_norm1.weight", {c}, weight_types::norm);
        l.ln1_b = bind_weight(file, p + "layer_norm1.bias", {c}, weight_types::norm);
        weight_tensor* matrices[] = {&l.q_w, &l.k_w, &l.v_w, &l.o_w};
        weight_tensor* biases[] = {&l.q_b, &l.k_b, &l.v_b, &l.o_b};
        const char* names[] = {"q_proj", "k_proj", "v_proj", "out_proj"};
        for (int j = 0; j < 4; ++j) {
            *matrices[j] = bind_weight(file, p + "self_attn." + names[j] + ".weight", {c, c}, weight_types::float_matrix);
            *biases[j] = bind_weight(file, p + "self_attn." + names[j] + ".bias", {c}, weight_types::norm);
        }
        l.ln2_w = bind_weight(file, p + "layer_norm2.weight", {c}, weight_types::norm);
        l.ln2_b = bind_weight(file, p + "layer_norm2.bias", {c}, weight_types::norm);
        l.fc1_w = bind_weight(file, p + "mlp.fc1.weight", {c, v.n_ff}, weight_types::float_matrix);
        l.fc1_b = bind_weight(file, p + "mlp.fc1.bias", {v.n_ff}, weight_types::norm);
        l.fc2_w = bind_weight(file, p + "mlp.fc2.weight", {v.n_ff, c}, weight_types::float_matrix);
        l.fc2_b = bind_weight(file, p + "mlp.fc2.bias", {c}, weight_types::norm);
        w.layers.push_back(l);
    }
    w.mm_projector = bind_projector(file, "mm_projector", hp.projector);
    w.out_mm_projector = bind_projector(file, "out_mm_projector", hp.projector);
    return w;
}

} // namespace pxl
