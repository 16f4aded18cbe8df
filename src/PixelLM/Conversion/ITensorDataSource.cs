namespace PixelLM.Conversion;

/// <summary>Where a checkpoint tensor's raw little-endian bytes live (a mapped file, a zip entry).</summary>
internal interface ITensorDataSource
{
    /// <summary>
    /// Copies <paramref name="destination"/>.Length bytes starting <paramref name="offset"/> bytes into the
    /// tensor's data. Calls come in increasing, non-overlapping order for one tensor read.
    /// </summary>
    void Read(long offset, Span<byte> destination);
}
