// C ABI: pixel models and pixel contexts (vision tower, projectors, pixel decoder).
#include "capi/enum_arg.h"
#include "capi/handles.h"
#include "core/api_guard.h"
#include "core/error.h"
#include "cpu/cpu_features.h"

#include <algorithm>
#include <memory>
#include <vector>

using pxl::check_struct_size;

extern "C" PXL_API pxl_status pxl_pixel_model_load(const char* pixel_path, const pxl_model_params* params,
                                                   pxl_pixel_model** out_model) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_model != nullptr, "out_model is NULL");
        *out_model = nullptr;
        PXL_CHECK_ARG(pixel_path != nullptr, "pixel_path is NULL");
        const pxl_model_params defaults = pxl_model_default_params();
        if (params != nullptr) check_struct_size(params, "params");
        const pxl_model_params& p = params != nullptr ? *params : defaults;
        auto model = std::make_unique<pxl_pixel_model>();
        model->pixel = pxl::pixel_model::load(pixel_path, p.use_mmap != 0);
        *out_model = model.release();
    });
}

extern "C" PXL_API void pxl_pixel_model_free(pxl_pixel_model* model) { delete model; }

extern "C" PXL_API pxl_status pxl_pixel_model_get_info(const pxl_pixel_model* model, pxl_pixel_model_info* out_info) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(model != nullptr, "model is NULL");
        PXL_CHECK_ARG(out_info != nullptr, "out_info is NULL");
        check_struct_size(out_info, "out_info");
        const pxl::pixel_hparams& hp = model->pixel->hparams();
        const uint64_t struct_size = out_info->struct_size;
        *out_info = pxl_pixel_model_info{};
        out_info->struct_size = struct_size;
        out_info->image_size = static_cast<int32_t>(hp.vision.image_size);
        out_info->patch_size = static_cast<int32_t>(hp.vision.patch_size);
        out_info->vision_n_embd = static_cast<int32_t>(hp.vision.n_embd);
        out_info->vision_n_layer = static_cast<int32_t>(hp.vision.n_layer);
        out_info->vision_n_head = static_cast<int32_t>(hp.vision.n_head);
        out_info->image_token_grid = static_cast<int32_t>(hp.projector.image_grid);
        out_info->llm_n_embd = static_cast<int32_t>(hp.llm_n_embd);
        out_info->llm_n_vocab = static_cast<int32_t>(hp.llm_n_vocab);
        out_info->decoder_n_embd = static_cast<int32_t>(hp.decoder.n_embd);
        out_info->seg_token_num = static_cast<int32_t>(hp.seg_token_num);
        out_info->scale_num = static_cast<int32_t>(hp.scale_num);
        out_info->im_start_id = hp.im_start_id;
        out_info->im_end_id = hp.im_end_id;
        out_info->mask_feature_n_embd = static_cast<int32_t>(hp.projector.n_output);
        out_info->decoder_n_mask_tokens = static_cast<int32_t>(hp.decoder.n_mask_tokens());
        out_info->vision_n_ff = static_cast<int32_t>(hp.vision.n_ff);
    });
}

extern "C" PXL_API pxl_status pxl_pixel_model_seg_ids(const pxl_pixel_model* model, int32_t* out_ids, int32_t capacity) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(model != nullptr, "model is NULL");
        PXL_CHECK_ARG(out_ids != nullptr, "out_ids is NULL");
        const std::vector<int32_t>& ids = model->pixel->hparams().seg_ids;
        PXL_CHECK_ARG(capacity >= 0 && static_cast<size_t>(capacity) >= ids.size(),
                      "capacity is %d; the model has %zu codebook tokens", capacity, ids.size());
        std::copy(ids.begin(), ids.end(), out_ids);
    });
}

extern "C" PXL_API pxl_status pxl_pixel_model_normalization(const pxl_pixel_model* model, float* out_mean3,
                                                            float* out_std3) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(model != nullptr, "model is NULL");
        PXL_CHECK_ARG(out_mean3 != nullptr, "out_mean3 is NULL");
        PXL_CHECK_ARG(out_std3 != nullptr, "out_std3 is NULL");
        const pxl::vision_hparams& v = model->pixel->hparams().vision;
        std::copy(v.image_mean, v.image_mean + 3, out_mean3);
        std::copy(v.image_std, v.image_std + 3, out_std3);
    });
}

extern "C" PXL_API pxl_status pxl_pixel_model_check_pair(const pxl_model* llm, const pxl_pixel_model* pixel) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(llm != nullptr, "llm is NULL");
        PXL_CHECK_ARG(pixel != nullptr, "pixel is NULL");
        const pxl::llama_hparams& l = llm->llm->hparams();
        const pxl::pixel_hparams& p = pixel->pixel->hparams();
        PXL_CHECK_ARG(p.llm_n_embd == l.n_embd,
                      "the models do not belong together: the pixel file expects a language model of width %lld, "
                      "the language model has width %lld",
                      static_cast<long long>(p.llm_n_embd), static_cast<long long>(l.n_embd));
        PXL_CHECK_ARG(p.llm_n_vocab == l.n_vocab,
                      "the models do not belong together: the pixel file expects a vocabulary of %lld tokens, "
                      "the language model has %lld",
                      static_cast<long long>(p.llm_n_vocab), static_cast<long long>(l.n_vocab));
    });
}

extern "C" PXL_API pxl_pixel_context_params pxl_pixel_context_default_params(void) {
    pxl_pixel_context_params params{};
    params.struct_size = sizeof params;
    params.n_threads = 0;
    params.max_targets = 0;
    params.vision_compute_type = PXL_COMPUTE_TYPE_F32;
    return params;
}

extern "C" PXL_API pxl_status pxl_pixel_context_create(const pxl_pixel_model* model, const pxl_pixel_context_params* params,
                                                       pxl_pixel_context** out_context) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_context != nullptr, "out_context is NULL");
        *out_context = nullptr;
        PXL_CHECK_ARG(model != nullptr, "model is NULL");
        const pxl_pixel_context_params defaults = pxl_pixel_context_default_params();
        if (params != nullptr) check_struct_size(params, "params");
        const pxl_pixel_context_params& p = params != nullptr ? *params : defaults;
        PXL_CHECK_ARG(p.n_threads >= 0, "params->n_threads is %d; use 0 for the default or a positive count", p.n_threads);
        PXL_CHECK_ARG(p.max_targets >= 0, "params->max_targets is %d; use 0 for the default or a positive count",
                      p.max_targets);
        const int32_t compute = pxl::enum_arg(p.vision_compute_type);
        PXL_CHECK_ARG(compute == PXL_COMPUTE_TYPE_F32 || compute == PXL_COMPUTE_TYPE_BF16,
                      "params->vision_compute_type is %d; use PXL_COMPUTE_TYPE_F32 (0) or PXL_COMPUTE_TYPE_BF16 (1)",
                      compute);
        pxl::pixel_context_options options;
        options.n_threads = p.n_threads > 0 ? p.n_threads : pxl::cpu::physical_cores();
        if (p.max_targets > 0) options.max_targets = p.max_targets;
        options.vision_precision = compute == PXL_COMPUTE_TYPE_BF16 ? pxl::cpu::gemm_precision::bf16 : pxl::cpu::gemm_precision::f32;
        auto context = std::make_unique<pxl_pixel_context>();
        context->pixel = std::make_unique<pxl::pixel_context>(*model->pixel, options);
        *out_context = context.release();
    });
}

extern "C" PXL_API void pxl_pixel_context_free(pxl_pixel_context* context) { delete context; }

extern "C" PXL_API pxl_status pxl_pixel_prepare_mask_features(pxl_pixel_context* context, const float* mask_features,
                                                              float* out_neck) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(context != nullptr, "context is NULL");
        PXL_CHECK_ARG(mask_features != nullptr, "mask_features is NULL");
        PXL_CHECK_ARG(out_neck != nullptr, "out_neck is NULL");
        pxl::pixel_context& pixel = *context->pixel;
        pixel.masks().prepare_features(pixel.pool(), mask_features, out_neck);
    });
}

extern "C" PXL_API pxl_mask_outputs pxl_mask_outputs_default(void) {
    pxl_mask_outputs outputs{};
    outputs.struct_size = sizeof outputs;
    return outputs;
}

extern "C" PXL_API pxl_status pxl_pixel_decode_masks(pxl_pixel_context* context, const float* neck,
                                                     const float* seg_hidden, int32_t n_targets, int32_t hidden_width,
                                                     const pxl_mask_outputs* outputs) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(context != nullptr, "context is NULL");
        PXL_CHECK_ARG(neck != nullptr, "neck is NULL");
        PXL_CHECK_ARG(seg_hidden != nullptr, "seg_hidden is NULL");
        PXL_CHECK_ARG(outputs != nullptr, "outputs is NULL");
        pxl::check_struct_size(outputs, "outputs");
        PXL_CHECK_ARG(outputs->level0 != nullptr, "outputs->level0 is NULL; the level-0 mask logits are required");
        PXL_CHECK_ARG(outputs->level1 != nullptr, "outputs->level1 is NULL; the level-1 mask logits are required");
        PXL_CHECK_ARG(n_targets >= 1, "n_targets is %d; decoding needs at least one target", n_targets);
        pxl::pixel_context& pixel = *context->pixel;
        const int64_t width = pixel.model().hparams().llm_n_embd;
        PXL_CHECK_ARG(hidden_width == width, "hidden_width is %d; the codebook hidden states of this model are %lld wide",
                      hidden_width, static_cast<long long>(width));
        pxl::mask_decode_outputs out{};
        out.level0 = outputs->level0;
        out.level1 = outputs->level1;
        out.iou = outputs->iou;
        out.text_fcs = outputs->text_fcs;
        out.queries = outputs->queries;
        out.pe[0] = outputs->pe_level0;
        out.pe[1] = outputs->pe_level1;
        out.src[0] = outputs->level0_src;
        out.tokens[0] = outputs->level0_tokens;
        out.out_queries[0] = outputs->level0_queries;
        out.keys[0] = outputs->level0_keys;
        out.src[1] = outputs->level1_src;
        out.tokens[1] = outputs->level1_tokens;
        out.out_queries[1] = outputs->level1_queries;
        out.keys[1] = outputs->level1_keys;
        pixel.masks().decode(pixel.pool(), neck, seg_hidden, n_targets, out);
    });
}

extern "C" PXL_API pxl_status pxl_vision_encode(pxl_pixel_context* context, const float* pixels, int32_t valid_height,
                                                int32_t valid_width, const pxl_vision_outputs* outputs) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(context != nullptr, "context is NULL");
        PXL_CHECK_ARG(outputs != nullptr, "outputs is NULL");
        check_struct_size(outputs, "outputs");
        pxl::vision_outputs out;
        out.image_tokens = outputs->image_tokens;
        out.mask_features = outputs->mask_features;
        out.hs0 = outputs->hs0;
        out.hs_deep = outputs->hs_deep;
        out.hs_mid = outputs->hs_mid;
        out.pooled = outputs->pooled;
        context->pixel->encode_image(pixels, valid_height, valid_width, out);
    });
}
