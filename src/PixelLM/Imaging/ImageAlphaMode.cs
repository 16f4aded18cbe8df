namespace PixelLM.Imaging;

/// <summary>What decoding does with an alpha channel (PNG alpha or transparency).</summary>
public enum ImageAlphaMode
{
    /// <summary>Dropped: the colour is kept as stored, as PixelLM's own decoding does (spec §15.2). The default.</summary>
    Drop = 0,

    /// <summary>Composited onto <see cref="ImageDecodeOptions.Background"/>: <c>(c·a + bg·(255 − a)) / 255</c>, rounded.</summary>
    Composite = 1,
}
