#include "model/pixel/pixel_hparams.h"

#include "core/error.h"
#include "model/gguf_metadata.h"

#include <cmath>
#include <string>

namespace pxl {

namespace {

float epsilon(const gguf_file& file, const char* key) {
    const double eps = require_float(file, key);
    if (!(eps > 0.0 && eps < 1.0)) fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%s' is %g; it must be in (0, 1)", key, eps);
    return static_cast<float>(eps);
}

std::vector<float> finite_floats(const gguf_file& file, const char* key, uint64_t count) {
    const std::vector<double> values = require_float_array(file, key, count);
    if (values.size() != count)
        fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%s' holds %zu values; expected %llu", key, values.size(),
             static_cast<unsigned long long>(count));
    std::vector<float> out;
    for (double v : values) {
        if (!std::isfinite(v)) fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%s' holds a value that is not finite", key);
        out.push_back(static_cast<float>(v));
    }
    return out;
}

vision_hparams read_vision(const gguf_file& file) {
    vision_hparams v;
    v.image_size = require_width(file, "pixellm.vision.image_size");
    v.patch_size = require_width(file, "pixellm.vision.patch_size");
    v.n_embd = require_width(file, "pixellm.vision.embedding_length");
    v.n_layer = require_width(file, "pixellm.vision.block_count");
    v.n_head = require_width(file, "pixellm.vision.attention.head_count");
    v.n_ff = require_width(file, "pixellm.vision.feed_forward_length");
    v.ln_eps = epsilon(file, "pixellm.vision.attention.layer_norm_epsilon");
    v.grid = require_width(file, "pixellm.vision.grid");
    if (v.image_size % v.patch_size != 0 || v.image_size / v.patch_size != v.grid)
        fail(PXL_STATUS_INVALID_FORMAT, "pixellm.vision.grid is %lld but image_size %lld / patch_size %lld gives %lld",
             static_cast<long long>(v.grid), static_cast<long long>(v.image_size), static_cast<long long>(v.patch_size),
             static_cast<long long>(v.image_size / v.patch_size));
    if (v.grid % 2 != 0)
        fail(PXL_STATUS_UNSUPPORTED, "pixellm.vision.grid is %lld; the 2x2 pooling into LLM tokens needs an even grid",
             static_cast<long long>(v.grid));
    if (v.n_embd % v.n_head != 0)
        fail(PXL_STATUS_INVALID_FORMAT, "pixellm.vision.embedding_length %lld is not divisible by the head count %lld",
             static_cast<long long>(v.n_embd), static_cast<long long>(v.n_head));
    const std::string_view act = require_string(file, "pixellm.vision.hidden_act");
    if (act != "quick_gelu")
        fail(PXL_STATUS_UNSUPPORTED, "pixellm.vision.hidden_act is '%.*s'; only quick_gelu is supported",
             static_cast<int>(act.size()), act.data());
    const char* select_keys[2] = {"pixellm.vision.select_layer_deep", "pixellm.vision.select_layer_mid"};
    int32_t* selects[2] = {&v.select_deep, &v.select_mid};
    for (int i = 0; i < 2; ++i) {
        const int64_t select = require_int(file, select_keys[i]);
        // hs has n_layer + 1 entries; a negative index must land on a block output, not hs[0].
        if (select >= 0 || -select > v.n_layer)
            fail(PXL_STATUS_INVALID_FORMAT, "metadata key '%s' is %lld; it must be in -%lld..-1 for a %lld-layer tower",
                 select_keys[i], static_cast<long long>(select), static_cast<long long>(v.n_layer),
                 static_cast<long long>(v.n_layer));
        *selects[i] = static_cast<int32_t>(select);
    }
    const std::vector<float> mean = finite_floats(file, "pixellm.vision.image_mean", 3);
    const std::vector<float> std_dev = finite_floats(file, "pixellm.vision.image_std", 3);
    for (int c = 0; c < 3; ++c) {
        if (!(std_dev[c] > 0.0f)) fail(PXL_STATUS_INVALID_FORMAT, "pixellm.vision.image_std[%d] must be positive", c);
        v.image_mean[c] = mean[c];
        v.image_std[c] = std_dev[c];
    }
    return v;
}

projector_hparams read_projector(const gguf_file& file, const vision_hparams& vision) {
    projector_hparams p;
    p.n_input = require_width(file, "pixellm.projector.input_length");
    p.n_hidden = require_width(file, "pixellm.projector.hidden_length");
    p.n_output = require_width(file, "pixellm.projector.output_length");
    p.image_grid = require_width(file, "pixellm.projector.image_grid");
    if (p.n_input != vision.n_embd)
        fail(PXL_STATUS_INVALID_FORMAT, "pixellm.projector.input_length %lld differs from the tower width %lld",
             static_cast<long long>(p.n_input), static_cast<long long>(vision.n_embd));
    if (p.image_grid * 2 != vision.grid)
        fail(PXL_STATUS_UNSUPPORTED, "pixellm.projector.image_grid is %lld; the 2x2 pooling of a %lld grid gives %lld",
             static_cast<long long>(p.image_grid), static_cast<long long>(vision.grid),
             static_cast<long long>(vision.grid / 2));
    return p;
}

decoder_hparams read_decoder(const gguf_file& file) {
    decoder_hparams d;
    d.n_embd = require_width(file, "pixellm.decoder.embedding_length");
    d.n_ff = require_width(file, "pixellm.decoder.feed_forward_length");
    d.n_head = require_width(file, "pixellm.decoder.attention.head_count");
    d.n_layer = require_width(file, "pixellm.decoder.block_count");
    d.downsample = require_width(file, "pixellm.decoder.attention.downsample_rate");
    d.n_multimask = require_width(file, "pixellm.decoder.num_multimask_outputs");
    d.ln_eps = epsilon(file, "pixellm.decoder.layer_norm_epsilon");
    d.ln2d_eps = epsilon(file, "pixellm.decoder.layer_norm2d_epsilon");
    if (d.n_embd % (d.n_head * d.downsample) != 0)
        fail(PXL_STATUS_INVALID_FORMAT,
             "pixellm.decoder.embedding_length %lld is not divisible by head_count %lld x downsample_rate %lld",
             static_cast<long long>(d.n_embd), static_cast<long long>(d.n_head), static_cast<long long>(d.downsample));
    if (d.n_embd % 8 != 0)
        fail(PXL_STATUS_INVALID_FORMAT, "pixellm.decoder.embedding_length %lld must be a multiple of 8 (upscaling to C/8)",
             static_cast<long long>(d.n_embd));
    return d;
}

} // namespace

pixel_hparams read_pixel_hparams(const gguf_file& file) {
    const std::string_view architecture = require_string(file, "general.architecture");
    if (architecture != "pixellm")
        fail(PXL_STATUS_UNSUPPORTED, "general.architecture is '%.*s'; a pixel file must be 'pixellm'",
             static_cast<int>(architecture.size()), architecture.data());
    pixel_hparams hp;
    hp.vision = read_vision(file);
    hp.projector = read_projector(file, hp.vision);
    hp.decoder = read_decoder(file);
    hp.llm_n_embd = require_width(file, "pixellm.llm.embedding_length");
    hp.llm_n_vocab = require_width(file, "pixellm.llm.vocab_size");
    if (hp.projector.n_output != hp.llm_n_embd)
        fail(PXL_STATUS_INVALID_FORMAT, "pixellm.projector.output_length %lld differs from pixellm.llm.embedding_length %lld",
             static_cast<long long>(hp.projector.n_output), static_cast<long long>(hp.llm_n_embd));

    hp.seg_token_num = require_width(file, "pixellm.seg_token_num");
    hp.scale_num = require_width(file, "pixellm.image_feature_scale_num");
    if (hp.scale_num != 2)
        fail(PXL_STATUS_UNSUPPORTED, "pixellm.image_feature_scale_num is %lld; PixelLM's decoder has exactly 2 levels",
             static_cast<long long>(hp.scale_num));
    const uint64_t n_seg = static_cast<uint64_t>(hp.seg_token_num * hp.scale_num);
    const std::vector<uint64_t> seg_ids = require_uint_array(file, "pixellm.token.seg_ids", 1024);
    if (seg_ids.size() != n_seg)
        fail(PXL_STATUS_INVALID_FORMAT, "pixellm.token.seg_ids holds %zu ids; seg_token_num x scale_num is %llu",
             seg_ids.size(), static_cast<unsigned long long>(n_seg));
    auto token = [&](const char* key, uint64_t id) {
        if (id >= static_cast<uint64_t>(hp.llm_n_vocab))
            fail(PXL_STATUS_INVALID_FORMAT, "%s holds id %llu, outside the vocabulary of %lld", key,
                 static_cast<unsigned long long>(id), static_cast<long long>(hp.llm_n_vocab));
        return static_cast<int32_t>(id);
    };
    for (uint64_t id : seg_ids) hp.seg_ids.push_back(token("pixellm.token.seg_ids", id));
    hp.im_start_id = token("pixellm.token.im_start_id", require_uint(file, "pixellm.token.im_start_id"));
    hp.im_end_id = token("pixellm.token.im_end_id", require_uint(file, "pixellm.token.im_end_id"));
    hp.multiseg_scalar = finite_floats(file, "pixellm.fusion.multiseg_scalar", static_cast<uint64_t>(hp.seg_token_num));
    hp.multiscale_scalar = finite_floats(file, "pixellm.fusion.multiscale_scalar", static_cast<uint64_t>(hp.scale_num));
    return hp;
}

} // namespace pxl
