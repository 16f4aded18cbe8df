namespace PixelLM.Conversion;

/// <summary>
/// The exact tensor inventory of a PixelLM checkpoint and of its CLIP vision tower (spec §10.2, §3.1),
/// derived from the configurations, and the check of a checkpoint against it: a missing, extra,
/// mis-shaped or unreadable-dtype tensor is an error naming it.
/// </summary>
internal static class CheckpointInventory
{
    /// <summary>The PixelLM checkpoint's tensors (LLaMA, projectors, text MLP, neck, prompt encoder, mask decoder).</summary>
    internal static List<ExpectedTensor> PixelLm(PixelLmCheckpointConfig cfg)
    {
        long d = cfg.HiddenSize, v = cfg.VocabSize, f = cfg.IntermediateSize, kv = (long)cfg.HeadCountKv * cfg.HeadDim;
        long c = cfg.DecoderWidth, m = cfg.DecoderMlpWidth, hd = cfg.ProjectorHiddenSize, od = cfg.ProjectorOutSize;
        var list = new List<ExpectedTensor>();
        void Llm(string name, params long[] shape) => list.Add(new(name, shape, TensorRole.Llm));
        void Pixel(string name, params long[] shape) => list.Add(new(name, shape, TensorRole.Pixel));
        void Unused(string name, params long[] shape) => list.Add(new(name, shape, TensorRole.Unused));

        Llm("model.embed_tokens.weight", v, d);
        for (int i = 0; i < cfg.LayerCount; i++)
        {
            string p = $"model.layers.{i}.";
            Llm(p + "input_layernorm.weight", d);
            Llm(p + "self_attn.q_proj.weight", d, d);
            Llm(p + "self_attn.k_proj.weight", kv, d);
            Llm(p + "self_attn.v_proj.weight", kv, d);
            Llm(p + "self_attn.o_proj.weight", d, d);
            Llm(p + "post_attention_layernorm.weight", d);
            Llm(p + "mlp.gate_proj.weight", f, d);
            Llm(p + "mlp.up_proj.weight", f, d);
            Llm(p + "mlp.down_proj.weight", d, f);
        }

        Llm("model.norm.weight", d);
        Llm("lm_head.weight", v, d);

        // §4.1: Linear(mm_hidden → Hd) → GELU → Linear(Hd → D | Od).
        foreach ((string name, long output) in new[] { ("mm_projector", d), ("out_mm_projector", od) })
        {
            Linear(Pixel, $"model.{name}.0", cfg.VisionHiddenSize, hd);
            Linear(Pixel, $"model.{name}.2", hd, output);
        }

        Linear(Pixel, "model.text_hidden_fcs.0.0", d, d);                  // §7.1
        Linear(Pixel, "model.text_hidden_fcs.0.2", d, c);
        Pixel("model.image_feature_neck.0.weight", c, od, 1, 1);           // §7.3, no biases on the convs
        Norm(Pixel, "model.image_feature_neck.1", c);
        Pixel("model.image_feature_neck.2.weight", c, c, 3, 3);
        Norm(Pixel, "model.image_feature_neck.3", c);

        const string pe = "model.prompt_encoder.";                          // §7.2
        Pixel(pe + "pe_layer.positional_encoding_gaussian_matrix", 2, c / 2);
        Pixel(pe + "no_mask_embed.weight", 1, c);
        for (int i = 0; i < 4; i++)
            Unused(pe + $"point_embeddings.{i}.weight", 1, c);
        Unused(pe + "not_a_point_embed.weight", 1, c);
        Unused(pe + "mask_downscaling.0.weight", 4, 1, 2, 2);
        Unused(pe + "mask_downscaling.0.bias", 4);
        Norm(Unused, pe + "mask_downscaling.1", 4);
        Unused(pe + "mask_downscaling.3.weight", 16, 4, 2, 2);
        Unused(pe + "mask_downscaling.3.bias", 16);
        Norm(Unused, pe + "mask_downscaling.4", 16);
        Unused(pe + "mask_downscaling.6.weight", c, 16, 1, 1);
        Unused(pe + "mask_downscaling.6.bias", c);

        const string md = "model.mask_decoder.";                            // §8.1
        long inner = c / PixelLmConstants.AttentionDownsample;
        for (int level = 0; level < cfg.ImageFeatureScaleNum; level++)
        {
            string t = md + $"transformer.{level}.";
            for (int j = 0; j < PixelLmConstants.DecoderDepth; j++)
            {
                string l = t + $"layers.{j}.";
                Attention(Pixel, l + "self_attn", c, c);
                Attention(Pixel, l + "cross_attn_token_to_image", c, inner);
                Attention(Pixel, l + "cross_attn_image_to_token", c, inner);
                Linear(Pixel, l + "mlp.lin1", c, m);
                Linear(Pixel, l + "mlp.lin2", m, c);
                for (int n = 1; n <= 4; n++)
                    Norm(Pixel, l + $"norm{n}", c);
            }

            Attention(Pixel, t + "final_attn_token_to_image", c, inner);
            Norm(Pixel, t + "norm_final_attn", c);
        }

        Pixel(md + "iou_token.weight", 1, c);
        Pixel(md + "mask_tokens.weight", PixelLmConstants.MultimaskOutputs + 1, c);
        Pixel(md + "level_embed.weight", cfg.ImageFeatureScaleNum, c);
        Pixel(md + "output_upscaling.0.weight", c, c / 8, 2, 2);            // ConvTranspose2d [in, out, k, k]
        Pixel(md + "output_upscaling.0.bias", c / 8);
        Norm(Pixel, md + "output_upscaling.1", c / 8);
        Pixel(md + "upsample_2x.0.weight", c, c, 2, 2);
        Pixel(md + "upsample_2x.0.bias", c);
        Norm(Pixel, md + "upsample_2x.1", c);
        Pixel(md + "pe1.positional_encoding_gaussian_matrix", 2, c / 2);
        for (int i = 0; i <= PixelLmConstants.MultimaskOutputs; i++)
            Mlp3(Pixel, md + $"output_hypernetworks_mlps.{i}", c, c / 8);
        Mlp3(Pixel, md + "iou_prediction_head", c, PixelLmConstants.MultimaskOutputs + 1);
        return list;
    }

    /// <summary>The CLIP vision tower's tensors under their Hugging Face names.</summary>
    internal static List<ExpectedTensor> Clip(ClipVisionCheckpointConfig cfg)
    {
        long w = cfg.HiddenSize, f = cfg.IntermediateSize, g = cfg.OriginalGrid;
        var list = new List<ExpectedTensor>();
        void Pixel(string name, params long[] shape) => list.Add(new(name, shape, TensorRole.Pixel));

        Pixel("vision_model.embeddings.class_embedding", w);
        Pixel("vision_model.embeddings.patch_embedding.weight", w, 3, cfg.PatchSize, cfg.PatchSize);
        Pixel("vision_model.embeddings.position_embedding.weight", g * g + 1, w);
        Norm(Pixel, "vision_model.pre_layrnorm", w);
        for (int i = 0; i < cfg.LayerCount; i++)
        {
            string p = $"vision_model.encoder.layers.{i}.";
            Norm(Pixel, p + "layer_norm1", w);
            Attention(Pixel, p + "self_attn", w, w);
            Norm(Pixel, p + "layer_norm2", w);
            Linear(Pixel, p + "mlp.fc1", w, f);
            Linear(Pixel, p + "mlp.fc2", f, w);
        }

        Norm(Pixel, "vision_model.post_layernorm", w);
        return list;
    }

    /// <summary>PixelLM keys a checkpoint may hold that carry nothing the inference reads (§10.2).</summary>
    internal static bool IsIgnoredPixelLm(string name) => name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal);

    /// <summary>CLIP keys a checkpoint may hold that are not part of the vision tower (§3.1).</summary>
    internal static bool IsIgnoredClip(string name) =>
        name.StartsWith("text_model.", StringComparison.Ordinal)
        || name is "visual_projection.weight" or "text_projection.weight" or "logit_scale" or "vision_model.embeddings.position_ids";

    /// <summary>
    /// Checks <paramref name="weights"/> against <paramref name="expected"/> and returns the tensors in
    /// inventory order. Errors name the first offending tensor in sorted order (and how many more there are).
    /// </summary>
    internal static List<(ExpectedTensor Expected, CheckpointTensor Tensor)> Match(
        CheckpointWeights weights, List<ExpectedTensor> expected, Func<string, bool> ignored)
    {
        var wanted = expected.ToDictionary(e => e.Name, StringComparer.Ordinal);
        List<string> missing = expected.Where(e => !weights.Tensors.ContainsKey(e.Name)).Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw ConversionErrors.Format($"{weights.Directory}: missing tensor '{missing[0]}'{More(missing.Count)}");
        List<string> extra = weights.Tensors.Keys.Where(n => !wanted.ContainsKey(n) && !ignored(n)).Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
            throw ConversionErrors.Format($"{weights.Tensors[extra[0]].FilePath}: unexpected tensor '{extra[0]}'{More(extra.Count)}");

        var result = new List<(ExpectedTensor, CheckpointTensor)>(expected.Count);
        foreach (ExpectedTensor e in expected)
        {
            CheckpointTensor t = weights.Tensors[e.Name];
            if (!t.Shape.SequenceEqual(e.Shape))
                throw ConversionErrors.Format($"{t.FilePath}: tensor '{e.Name}' has shape {t.ShapeText}, but the config implies {CheckpointTensor.FormatShape(e.Shape)}");
            if (t.DType == CheckpointDType.Unsupported)
                throw ConversionErrors.Unsupported($"{t.FilePath}: tensor '{e.Name}': dtype {t.DTypeName} is not supported (F32, F16 and BF16 are)");
            result.Add((e, t));
        }

        return result;
    }

    private static string More(int count) => count > 1 ? $" (and {count - 1} more)" : string.Empty;

    private static void Linear(Action<string, long[]> add, string prefix, long input, long output)
    {
        add(prefix + ".weight", [output, input]);
        add(prefix + ".bias", [output]);
    }

    private static void Norm(Action<string, long[]> add, string prefix, long width)
    {
        add(prefix + ".weight", [width]);
        add(prefix + ".bias", [width]);
    }

    // SAM / CLIP attention: q, k, v project width → inner, out_proj inner → width, all with biases.
    private static void Attention(Action<string, long[]> add, string prefix, long width, long inner)
    {
        foreach (string p in new[] { "q_proj", "k_proj", "v_proj" })
            Linear(add, $"{prefix}.{p}", width, inner);
        Linear(add, prefix + ".out_proj", inner, width);
    }

    // SAM's 3-layer MLP: width → width → width → output.
    private static void Mlp3(Action<string, long[]> add, string prefix, long width, long output)
    {
        Linear(add, prefix + ".layers.0", width, width);
        Linear(add, prefix + ".layers.1", width, width);
        Linear(add, prefix + ".layers.2", width, output);
    }
}
