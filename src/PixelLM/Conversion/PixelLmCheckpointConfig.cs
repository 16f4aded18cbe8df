namespace PixelLM.Conversion;

/// <summary>
/// The fields of a PixelLM <c>config.json</c> the conversion needs (spec §0, §10). The test presets shrink
/// the widths, so every width is read, never assumed: <c>out_dim</c> is the decoder width and
/// <c>mask_decoder_mlp_dim</c> (absent in released configs) its MLP width, 2048 by default.
/// </summary>
internal sealed record PixelLmCheckpointConfig(
    int HiddenSize,
    int IntermediateSize,
    int HeadCount,
    int HeadCountKv,
    int LayerCount,
    double RmsNormEps,
    int VocabSize,
    int ContextLength,
    string VisionTower,
    int VisionSelectLayer,
    int VisionHiddenSize,
    int ProjectorHiddenSize,
    int ProjectorOutSize,
    int DecoderWidth,
    int DecoderMlpWidth,
    int SegTokenNum,
    int ImageFeatureScaleNum)
{
    /// <summary>The width of one attention head.</summary>
    internal int HeadDim => HiddenSize / HeadCount;

    /// <summary>Reads and checks <c>DIR/config.json</c>.</summary>
    internal static PixelLmCheckpointConfig Load(string path)
    {
        using var document = JsonConfigReader.ParseFile(path);
        var c = new JsonConfigReader(document.RootElement, path);
        int hidden = c.PositiveInt("hidden_size");
        int heads = c.PositiveInt("num_attention_heads");
        int kvHeads = c.PositiveInt("num_key_value_heads", heads);
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0)
            throw c.Invalid("num_attention_heads", $"= {heads} does not split hidden_size {hidden} into heads of even width");
        if (heads % kvHeads != 0)
            throw c.Invalid("num_key_value_heads", $"= {kvHeads} does not divide num_attention_heads {heads}");
        int projectorHidden = c.Int("mm_projector_hidden_dim", 2) switch
        {
            1 => hidden,
            2 => 2 * hidden,
            _ => throw c.Invalid("mm_projector_hidden_dim", "must be 1 or 2"),
        };
        int projectorOut = c.Int("mm_projector_out_dim", 1) == 1 ? hidden : 1024;
        int selectLayer = c.Int("mm_vision_select_layer");
        if (selectLayer >= 0)
            throw c.Invalid("mm_vision_select_layer", "must be negative (an index from the end of the hidden states)");
        var config = new PixelLmCheckpointConfig(
            hidden, c.PositiveInt("intermediate_size"), heads, kvHeads, c.PositiveInt("num_hidden_layers"),
            c.Number("rms_norm_eps"), c.PositiveInt("vocab_size"), c.PositiveInt("max_position_embeddings"),
            c.String("mm_vision_tower"), selectLayer, c.PositiveInt("mm_hidden_size"), projectorHidden, projectorOut,
            c.PositiveInt("out_dim"), c.PositiveInt("mask_decoder_mlp_dim", 2048), c.PositiveInt("seg_token_num", 3),
            c.PositiveInt("image_feature_scale_num", 2));
        if (config.DecoderWidth % 16 != 0)
            throw c.Invalid("out_dim", $"= {config.DecoderWidth} must be a multiple of 16 (8 heads, downsample 2)");
        return config;
    }
}
