namespace PixelLM.Conversion;

/// <summary>
/// The CLIP vision tower's configuration (spec §3.1): <c>vision_config</c> of a CLIPModel
/// <c>config.json</c>, or the whole file for a CLIPVisionModel. Absent keys take Hugging Face's
/// CLIPVisionConfig defaults, as the original loader does.
/// </summary>
internal sealed record ClipVisionCheckpointConfig(
    int HiddenSize, int IntermediateSize, int HeadCount, int LayerCount, int PatchSize, int ImageSize, double LayerNormEps)
{
    /// <summary>The side of the original position grid (24 for ViT-L/14-336).</summary>
    internal int OriginalGrid => ImageSize / PatchSize;

    /// <summary>Reads and checks <c>DIR/config.json</c>.</summary>
    internal static ClipVisionCheckpointConfig Load(string path)
    {
        using var document = JsonConfigReader.ParseFile(path);
        var root = new JsonConfigReader(document.RootElement, path);
        JsonConfigReader c = root.Object("vision_config") ?? root;
        string act = c.String("hidden_act", "quick_gelu");
        if (act != "quick_gelu")
            throw c.Invalid("hidden_act", $"= '{act}' is not quick_gelu (spec §3.1)");
        var config = new ClipVisionCheckpointConfig(
            c.PositiveInt("hidden_size", 768), c.PositiveInt("intermediate_size", 3072), c.PositiveInt("num_attention_heads", 12),
            c.PositiveInt("num_hidden_layers", 12), c.PositiveInt("patch_size", 32), c.PositiveInt("image_size", 224),
            c.Number("layer_norm_eps", 1e-5));
        if (config.HiddenSize % config.HeadCount != 0)
            throw c.Invalid("num_attention_heads", $"does not divide hidden_size {config.HiddenSize}");
        if (config.ImageSize % config.PatchSize != 0 || PixelLmConstants.ImageSize % config.PatchSize != 0)
            throw c.Invalid("patch_size", $"= {config.PatchSize} divides neither image_size {config.ImageSize} nor {PixelLmConstants.ImageSize}");
        // hs[-11] is [hard] in feature_select (§3.3): the tower needs at least 10 layers.
        if (config.LayerCount < -PixelLmConstants.MidSelectLayer - 1)
            throw c.Invalid("num_hidden_layers", $"= {config.LayerCount} is too few for the mid layer hs[{PixelLmConstants.MidSelectLayer}]");
        return config;
    }
}
