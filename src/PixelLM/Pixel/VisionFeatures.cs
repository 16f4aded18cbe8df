namespace PixelLM.Pixel;

/// <summary>
/// What the vision tower and the projectors make of one image: the language model's image tokens and the
/// pixel decoder's two feature maps. Immutable once returned; share it freely (the
/// <see cref="VisionFeatureCache"/> hands the same instance to every hit).
/// </summary>
public sealed class VisionFeatures
{
    internal VisionFeatures(float[] imageTokens, float[] maskFeatures, int tokenCount, int patchCount, int width)
    {
        ImageTokens = imageTokens;
        MaskFeatures = maskFeatures;
        TokenCount = tokenCount;
        PatchCount = patchCount;
        Width = width;
    }

    /// <summary>[<see cref="TokenCount"/>][<see cref="Width"/>] row-major: the image embeddings spliced into the prompt (spec §4.2).</summary>
    public float[] ImageTokens { get; }

    /// <summary>
    /// [2][<see cref="PatchCount"/>][<see cref="Width"/>] row-major: out_mm_projector of the deep features, then of the
    /// mid features, padded patches included (spec §4.3).
    /// </summary>
    public float[] MaskFeatures { get; }

    /// <summary>Image tokens (256).</summary>
    public int TokenCount { get; }

    /// <summary>Patches of the tower's grid (1024 at 448 px).</summary>
    public int PatchCount { get; }

    /// <summary>Width of both outputs: the language model's width.</summary>
    public int Width { get; }

    /// <summary>Bytes held by the two arrays (what a cache charges for this entry).</summary>
    public long ByteSize => ((long)ImageTokens.Length + MaskFeatures.Length) * sizeof(float);
}
