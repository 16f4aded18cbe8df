namespace PixelLM.Imaging;

/// <summary>Where a <see cref="PixelImage"/>'s pixels came from.</summary>
public enum ImageFormat
{
    /// <summary>Raw RGB24 pixels (<see cref="PixelImage.FromRgb24"/>, or a resize).</summary>
    Rgb24 = 0,

    /// <summary>Decoded from a JPEG file.</summary>
    Jpeg = 1,

    /// <summary>Decoded from a PNG file.</summary>
    Png = 2,
}
