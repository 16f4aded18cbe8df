// The weights of the mask head in a pixel file (names as the checkpoint's without `model.`, spec
// §10.2): the codebook MLP text_hidden_fcs (§7.1), the image-feature neck (§7.3), the prompt
// encoder's parts that inference reads (§7.2), and MaskDecoderMultiScale with its two
// TwoWayTransformers (§8.1). Shapes below are PyTorch's ([out, in] for Linear); GGUF stores them
// reversed. C = decoder width, D = LLM width, Dm = mask-feature width (the projector output).
#pragma once

#include "format/gguf_file.h"
#include "model/pixel/pixel_hparams.h"
#include "model/weight_tensor.h"

#include <array>
#include <cstdint>
#include <vector>

namespace pxl {

struct linear_weights {
    weight_tensor weight; // [out, in], any matmul type
    weight_tensor bias;   // [out] f32
};

struct layer_norm_weights {
    weight_tensor weight; // [n] f32
    weight_tensor bias;   // [n] f32
};

// SAM's Attention(dim C, downsample r): q / k / v Linear(C -> C / r), out_proj Linear(C / r -> C).
struct decoder_attention_weights {
    linear_weights q, k, v, out;
    int64_t inner = 0; // C / r
};

struct two_way_layer_weights {
    decoder_attention_weights self_attn;            // r = 1
    layer_norm_weights norm1;
    decoder_attention_weights cross_token_to_image; // r = downsample
    layer_norm_weights norm2;
    linear_weights lin1, lin2;                      // C -> n_ff -> C, ReLU between
    layer_norm_weights norm3, norm4;
    decoder_attention_weights cross_image_to_token; // r = downsample
};

struct two_way_transformer_weights {
    std::vector<two_way_layer_weights> layers;
    decoder_attention_weights final_token_to_image;
    layer_norm_weights norm_final;
};

// ConvTranspose2d(c_in -> c_out, k 2, s 2) as one matmul: the file's [c_in, c_out, 2, 2] kernel
// repacked at load into W [4 c_out][c_in] f32 with row (a * 2 + b) * c_out + o, so the product's
// row for an input pixel holds its four output pixels' channel vectors one after another
// (cpu/conv.h depth_to_space_2x2). The copy is small (C^2 * 4 floats, 1 MiB in the release) and
// exact (f16 / bf16 widen exactly; quantized kernels dequantize as matmul would).
struct conv_transpose_weights {
    std::vector<float> kernel; // [4 c_out][c_in]
    weight_tensor bias;        // [c_out] f32
    int64_t c_in = 0, c_out = 0;
};

struct mask_head_weights {
    // §7.1 text_hidden_fcs.0: Linear(D -> D), ReLU, Linear(D -> C)
    linear_weights text_fc1, text_fc2;
    // §7.3 image_feature_neck: Conv1x1 [C, Dm, 1, 1], LN2d, Conv3x3 [C, C, 3, 3], LN2d; no conv bias
    weight_tensor neck_conv1, neck_conv3;
    layer_norm_weights neck_norm1, neck_norm2;
    // §7.2 prompt encoder
    weight_tensor pe_gaussian;   // [2, C / 2] f32, the random-Fourier matrix of PE32
    weight_tensor no_mask_embed; // [1, C] f32, the dense prompt
    // §8.1 mask decoder
    std::array<two_way_transformer_weights, 2> transformer; // one per level
    weight_tensor iou_token;     // [1, C] f32
    weight_tensor mask_tokens;   // [n_multimask + 1, C] f32
    weight_tensor level_embed;   // [2, C] f32
    conv_transpose_weights output_upscaling; // C -> C / 8, then LN2d(C / 8), GELU; both levels
    layer_norm_weights upscaling_norm;
    conv_transpose_weights upsample_2x;      // C -> C, then LN2d(C), GELU; level 1 only
    layer_norm_weights upsample_norm;
    weight_tensor pe1_gaussian;  // [2, C / 2] f32, the PE of level 1 (64 x 64)
    std::vector<std::array<linear_weights, 3>> hypernetworks; // n_multimask + 1 MLPs C -> C -> C -> C / 8
    std::array<linear_weights, 3> iou_head;                   // C -> C -> C -> n_multimask + 1
};

// Binds (and repacks the two transposed-convolution kernels); INVALID_FORMAT / UNSUPPORTED naming
// the tensor when one is missing, mis-shaped or of a type the kernels do not read.
mask_head_weights bind_mask_head_weights(const gguf_file& file, const pixel_hparams& hp);

} // namespace pxl
