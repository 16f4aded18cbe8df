// The weights of the CLIP vision tower (spec §3) and of the two projectors (§4.1), bound to the
// tensors of a pixel file under their Hugging Face names. Matrices are F32, F16 or BF16 (the GEMM's
// operand types); norms, biases, the class embedding and the stretched position table are F32.
#pragma once

#include "format/gguf_file.h"
#include "model/pixel/pixel_hparams.h"
#include "model/weight_tensor.h"

#include <vector>

namespace pxl {

struct vision_layer_weights {
    weight_tensor ln1_w, ln1_b;       // [Cv]
    weight_tensor q_w, k_w, v_w, o_w; // [Cv][Cv] (rows = outputs)
    weight_tensor q_b, k_b, v_b, o_b; // [Cv]
    weight_tensor ln2_w, ln2_b;       // [Cv]
    weight_tensor fc1_w;              // [n_ff][Cv]
    weight_tensor fc1_b;              // [n_ff]
    weight_tensor fc2_w;              // [Cv][n_ff]
    weight_tensor fc2_b;              // [Cv]
};

// Linear(Cv -> Hd) -> GELU(erf) -> Linear(Hd -> D)
struct projector_weights {
    weight_tensor fc1_w; // [Hd][Cv]
    weight_tensor fc1_b; // [Hd]
    weight_tensor fc2_w; // [D][Hd]
    weight_tensor fc2_b; // [D]
};

struct vision_weights {
    weight_tensor patch_embd;   // [Cv][3][P][P]: the bias-free patch convolution, one row of 3 P P per output
    weight_tensor class_embd;   // [Cv]
    weight_tensor position;     // [n_positions][Cv]: the stretched table Pn of §3.2 (CLS row first)
    weight_tensor pre_ln_w, pre_ln_b; // [Cv]
    std::vector<vision_layer_weights> layers; // the first layers_used() of the tower
    projector_weights mm_projector;     // pooled deep features -> LLM image tokens (§4.2)
    projector_weights out_mm_projector; // deep and mid features -> mask-branch features (§4.3)
};

// Binds the tower's embeddings, the blocks up to the deeper selected layer (later blocks are never
// consumed, §3.3, and are not required) and both projectors. INVALID_FORMAT naming the tensor for
// a missing tensor or a wrong shape; UNSUPPORTED for a matrix that is not F32, F16 or BF16.
vision_weights bind_vision_weights(const gguf_file& file, const pixel_hparams& hp);

// The number of tower blocks the outputs need: the deeper of the two selected layers.
int64_t vision_layers_used(const vision_hparams& v);

} // namespace pxl
