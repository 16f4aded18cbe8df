namespace PixelLM.Segmentation;

/// <summary>Options for loading a <see cref="PixelLmModel"/>.</summary>
public sealed record PixelLmModelOptions
{
    /// <summary>
    /// Bytes of vision features the model keeps for images it has seen (shared by its sessions), so a
    /// second question about the same image skips the vision tower. 0 disables the cache. Default 256 MiB.
    /// </summary>
    public long FeatureCacheBytes { get; init; } = 256L << 20;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value out of range.</summary>
    public void Validate() => ArgumentOutOfRangeException.ThrowIfNegative(FeatureCacheBytes, nameof(FeatureCacheBytes));
}
