namespace PixelLM.Gguf;

/// <summary>Options for <see cref="GgufFile.Open"/> and <see cref="GgufFile.Load"/>.</summary>
public sealed class GgufOpenOptions
{
    /// <summary>
    /// True (the default) to memory-map the file; false to read it into memory, for file systems that
    /// cannot map. Ignored by <see cref="GgufFile.Load"/>, which always copies.
    /// </summary>
    public bool UseMemoryMap { get; init; } = true;

    /// <summary>
    /// The largest metadata section accepted, in bytes (everything before the tensor data); null for the
    /// library's default of 1 GiB. A guard against hostile files that declare huge counts.
    /// </summary>
    public long? MaxMetadataBytes { get; init; }
}
