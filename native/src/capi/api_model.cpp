// C ABI: models and contexts (the LLaMA decoder with its KV cache).
#include "capi/enum_arg.h"
#include "capi/handles.h"
#include "core/api_guard.h"
#include "core/error.h"
#include "cpu/cpu_features.h"

#include <memory>

using pxl::check_struct_size;

namespace {

pxl::llama_context_options context_options(const pxl_model& model, const pxl_context_params& params) {
    PXL_CHECK_ARG(params.n_threads >= 0, "params->n_threads is %d; use 0 for the default or a positive count",
                  params.n_threads);
    PXL_CHECK_ARG(params.n_ctx >= 0, "params->n_ctx is %d; use 0 for the model's trained context or a positive count",
                  params.n_ctx);
    PXL_CHECK_ARG(params.n_seq >= 1, "params->n_seq is %d; a context needs at least one sequence", params.n_seq);
    PXL_CHECK_ARG(params.n_batch >= 1, "params->n_batch is %d; it must be at least 1", params.n_batch);
    const int32_t kv_type = pxl::enum_arg(params.kv_type);
    PXL_CHECK_ARG(kv_type == PXL_KV_TYPE_F16 || kv_type == PXL_KV_TYPE_F32,
                  "params->kv_type is %d; use PXL_KV_TYPE_F16 (0) or PXL_KV_TYPE_F32 (1)", kv_type);
    pxl::llama_context_options options;
    options.n_threads = params.n_threads > 0 ? params.n_threads : pxl::cpu::physical_cores();
    const int64_t trained = model.llm->hparams().n_ctx_train;
    options.n_ctx = params.n_ctx > 0 ? params.n_ctx : static_cast<int32_t>(trained);
    options.n_seq = params.n_seq;
    options.n_batch = params.n_batch;
    options.kv_type = static_cast<pxl_kv_type>(kv_type);
    return options;
}

} // namespace

extern "C" PXL_API pxl_model_params pxl_model_default_params(void) {
    pxl_model_params params{};
    params.struct_size = sizeof params;
    params.use_mmap = 1;
    return params;
}

extern "C" PXL_API pxl_status pxl_model_load(const char* llm_path, const pxl_model_params* params,
                                             pxl_model** out_model) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_model != nullptr, "out_model is NULL");
        *out_model = nullptr;
        PXL_CHECK_ARG(llm_path != nullptr, "llm_path is NULL");
        const pxl_model_params defaults = pxl_model_default_params();
        if (params != nullptr) check_struct_size(params, "params");
        const pxl_model_params& p = params != nullptr ? *params : defaults;
        auto model = std::make_unique<pxl_model>();
        model->llm = pxl::llama_model::load(llm_path, p.use_mmap != 0);
        *out_model = model.release();
    });
}

extern "C" PXL_API void pxl_model_free(pxl_model* model) { delete model; }

extern "C" PXL_API pxl_status pxl_model_get_info(const pxl_model* model, pxl_model_info* out_info) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(model != nullptr, "model is NULL");
        PXL_CHECK_ARG(out_info != nullptr, "out_info is NULL");
        check_struct_size(out_info, "out_info");
        const pxl::llama_hparams& hp = model->llm->hparams();
        out_info->n_vocab = hp.n_vocab;
        out_info->n_embd = hp.n_embd;
        out_info->n_layer = hp.n_layer;
        out_info->n_head = hp.n_head;
        out_info->n_head_kv = hp.n_head_kv;
        out_info->n_ff = hp.n_ff;
        out_info->n_ctx_train = hp.n_ctx_train;
    });
}

extern "C" PXL_API pxl_context_params pxl_context_default_params(void) {
    pxl_context_params params{};
    params.struct_size = sizeof params;
    params.n_threads = 0;
    params.n_ctx = 0;
    params.n_seq = 1;
    params.n_batch = 512;
    params.kv_type = PXL_KV_TYPE_F16;
    return params;
}

extern "C" PXL_API pxl_status pxl_context_create(const pxl_model* model, const pxl_context_params* params,
                                                 pxl_context** out_context) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_context != nullptr, "out_context is NULL");
        *out_context = nullptr;
        PXL_CHECK_ARG(model != nullptr, "model is NULL");
        const pxl_context_params defaults = pxl_context_default_params();
        if (params != nullptr) check_struct_size(params, "params");
        auto context = std::make_unique<pxl_context>();
        context->llm = std::make_unique<pxl::llama_context>(*model->llm,
                                                            context_options(*model, params != nullptr ? *params : defaults));
        *out_context = context.release();
    });
}

extern "C" PXL_API void pxl_context_free(pxl_context* context) { delete context; }

extern "C" PXL_API pxl_status pxl_context_decode(pxl_context* context, const pxl_batch* batch) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(context != nullptr, "context is NULL");
        PXL_CHECK_ARG(batch != nullptr, "batch is NULL");
        context->llm->decode(*batch);
    });
}

extern "C" PXL_API int32_t pxl_context_output_count(const pxl_context* context) {
    return context != nullptr ? context->llm->output_count() : 0;
}

extern "C" PXL_API pxl_status pxl_context_get_logits(const pxl_context* context, int32_t output_index,
                                                     const float** out_logits) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_logits != nullptr, "out_logits is NULL");
        *out_logits = nullptr;
        PXL_CHECK_ARG(context != nullptr, "context is NULL");
        *out_logits = context->llm->logits(output_index);
    });
}

extern "C" PXL_API pxl_status pxl_context_get_hidden(const pxl_context* context, int32_t output_index,
                                                     const float** out_hidden) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_hidden != nullptr, "out_hidden is NULL");
        *out_hidden = nullptr;
        PXL_CHECK_ARG(context != nullptr, "context is NULL");
        *out_hidden = context->llm->hidden(output_index);
    });
}

extern "C" PXL_API pxl_status pxl_context_seq_length(const pxl_context* context, int32_t seq_id, int32_t* out_length) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(out_length != nullptr, "out_length is NULL");
        PXL_CHECK_ARG(context != nullptr, "context is NULL");
        *out_length = context->llm->seq_length(seq_id);
    });
}

extern "C" PXL_API pxl_status pxl_context_seq_truncate(pxl_context* context, int32_t seq_id, int32_t n_keep) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(context != nullptr, "context is NULL");
        context->llm->seq_truncate(seq_id, n_keep);
    });
}

extern "C" PXL_API pxl_status pxl_context_seq_copy(pxl_context* context, int32_t src_seq, int32_t dst_seq) {
    return PXL_API_GUARD({
        PXL_CHECK_ARG(context != nullptr, "context is NULL");
        context->llm->seq_copy(src_seq, dst_seq);
    });
}
