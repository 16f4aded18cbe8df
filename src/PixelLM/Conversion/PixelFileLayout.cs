using PixelLM.Gguf;

namespace PixelLM.Conversion;

/// <summary>
/// The pixel file: the CLIP vision tower under its Hugging Face names (<c>vision_model.*</c>, with the
/// stretched position table of spec §3.2 in place of the checkpoint's), the projectors and mask head under
/// their checkpoint names without the leading <c>model.</c>, and every hyper-parameter under <c>pixellm.*</c>.
/// </summary>
internal static class PixelFileLayout
{
    internal const string PositionTable = "vision_model.embeddings.position_embedding.weight";

    // Embedding tables among the 2-D weights: looked up, not multiplied, so they stay F32.
    private static readonly HashSet<string> EmbeddingModules = new(StringComparer.Ordinal)
    {
        "iou_token", "mask_tokens", "level_embed", "no_mask_embed",
    };

    /// <summary>
    /// Plans one pixel tensor: Linear weights and conv kernels take <paramref name="type"/>; norms, biases,
    /// embeddings, PE matrices and the position table stay F32.
    /// </summary>
    internal static PlannedTensor Plan(CheckpointTensor source, GgufTensorType type, ClipVisionCheckpointConfig clip)
    {
        string name = source.Name.StartsWith("model.", StringComparison.Ordinal) ? source.Name["model.".Length..] : source.Name;
        if (name == PositionTable)
        {
            long g1 = PixelLmConstants.ImageSize / clip.PatchSize;
            return new PlannedTensor(name, GgufTensorType.F32, [clip.HiddenSize, (g1 * g1) + 1], source, TensorTransform.StretchPositions, false, null);
        }

        long[] shape = source.Shape.Reverse().ToArray();
        string[] parts = name.Split('.');
        bool matrix = parts[^1] == "weight"
            && (shape.Length == 4 || (shape.Length == 2 && !EmbeddingModules.Contains(parts[^2])));
        return new PlannedTensor(name, matrix ? type : GgufTensorType.F32, shape, source, TensorTransform.None, false, null);
    }

    /// <summary>Writes <c>general.*</c> and the <c>pixellm.*</c> hyper-parameters.</summary>
    internal static void WriteMetadata(
        GgufWriter writer, PixelLmCheckpointConfig cfg, ClipVisionCheckpointConfig clip, LlamaVocabulary vocab, string name, string addedTokensPath)
    {
        writer.SetString("general.architecture", "pixellm");
        writer.SetString("general.name", name);

        // §3: the CLIP tower, run at 448 with the stretched table.
        writer.SetUInt32("pixellm.vision.image_size", PixelLmConstants.ImageSize);
        writer.SetUInt32("pixellm.vision.patch_size", (uint)clip.PatchSize);
        writer.SetUInt32("pixellm.vision.embedding_length", (uint)clip.HiddenSize);
        writer.SetUInt32("pixellm.vision.block_count", (uint)clip.LayerCount);
        writer.SetUInt32("pixellm.vision.attention.head_count", (uint)clip.HeadCount);
        writer.SetUInt32("pixellm.vision.feed_forward_length", (uint)clip.IntermediateSize);
        writer.SetFloat32("pixellm.vision.attention.layer_norm_epsilon", (float)clip.LayerNormEps);
        writer.SetUInt32("pixellm.vision.original_grid", (uint)clip.OriginalGrid);
        writer.SetUInt32("pixellm.vision.grid", (uint)(PixelLmConstants.ImageSize / clip.PatchSize));
        writer.SetInt32("pixellm.vision.select_layer_deep", cfg.VisionSelectLayer);
        writer.SetInt32("pixellm.vision.select_layer_mid", PixelLmConstants.MidSelectLayer);
        writer.SetString("pixellm.vision.hidden_act", "quick_gelu");
        writer.SetArray<float>("pixellm.vision.image_mean", PixelLmConstants.ImageMean);
        writer.SetArray<float>("pixellm.vision.image_std", PixelLmConstants.ImageStd);

        // §4: projectors; the LLM widths are repeated so that an engine can check the pair belongs together.
        writer.SetUInt32("pixellm.projector.input_length", (uint)cfg.VisionHiddenSize);
        writer.SetUInt32("pixellm.projector.hidden_length", (uint)cfg.ProjectorHiddenSize);
        writer.SetUInt32("pixellm.projector.output_length", (uint)cfg.ProjectorOutSize);
        writer.SetUInt32("pixellm.projector.image_grid", PixelLmConstants.LlmImageGrid);
        writer.SetUInt32("pixellm.llm.embedding_length", (uint)cfg.HiddenSize);
        writer.SetUInt32("pixellm.llm.vocab_size", (uint)vocab.Tokens.Length);

        // §5.1, §6.4: the token ids, looked up by name as the spec recommends.
        int segCount = cfg.SegTokenNum * cfg.ImageFeatureScaleNum;
        var segIds = new uint[segCount];
        for (int i = 0; i < segCount; i++)
            segIds[i] = (uint)AddedId(vocab, $"[SEG{i}]", addedTokensPath);
        writer.SetArray<uint>("pixellm.token.seg_ids", segIds);
        writer.SetUInt32("pixellm.token.im_start_id", (uint)AddedId(vocab, "<im_start>", addedTokensPath));
        writer.SetUInt32("pixellm.token.im_end_id", (uint)AddedId(vocab, "<im_end>", addedTokensPath));
        writer.SetUInt32("pixellm.seg_token_num", (uint)cfg.SegTokenNum);
        writer.SetUInt32("pixellm.image_feature_scale_num", (uint)cfg.ImageFeatureScaleNum);

        // §7, §8: the mask head.
        writer.SetUInt32("pixellm.decoder.embedding_length", (uint)cfg.DecoderWidth);
        writer.SetUInt32("pixellm.decoder.feed_forward_length", (uint)cfg.DecoderMlpWidth);
        writer.SetUInt32("pixellm.decoder.attention.head_count", PixelLmConstants.DecoderHeads);
        writer.SetUInt32("pixellm.decoder.block_count", PixelLmConstants.DecoderDepth);
        writer.SetUInt32("pixellm.decoder.attention.downsample_rate", PixelLmConstants.AttentionDownsample);
        writer.SetUInt32("pixellm.decoder.num_multimask_outputs", PixelLmConstants.MultimaskOutputs);
        writer.SetFloat32("pixellm.decoder.layer_norm_epsilon", PixelLmConstants.DecoderLayerNormEps);
        writer.SetFloat32("pixellm.decoder.layer_norm2d_epsilon", PixelLmConstants.LayerNorm2dEps);

        // §6.4.5, §10.3: the fusion constants, fp32 as the original's Parameters.
        writer.SetArray<float>("pixellm.fusion.multiseg_scalar", Enumerable.Repeat(1f / cfg.SegTokenNum, cfg.SegTokenNum).ToArray());
        writer.SetArray<float>("pixellm.fusion.multiscale_scalar", Enumerable.Repeat(1f / cfg.ImageFeatureScaleNum, cfg.ImageFeatureScaleNum).ToArray());
    }

    private static int AddedId(LlamaVocabulary vocab, string token, string addedTokensPath) =>
        vocab.Added.TryGetValue(token, out int id) ? id : throw ConversionErrors.Format($"{addedTokensPath}: missing token '{token}'");
}
