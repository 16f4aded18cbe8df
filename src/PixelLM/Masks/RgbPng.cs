namespace PixelLM.Masks;

/// <summary>RGB24 images (row-major, 3 bytes per pixel, R first) as 8-bit RGB PNG files.</summary>
public static class RgbPng
{
    /// <summary>The PNG bytes of a [height, width, 3] RGB24 image.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height)
    {
        MaskArguments.RequireSize(height, width, nameof(rgb));
        if (rgb.Length != 3L * width * height)
            throw new ArgumentException($"rgb holds {rgb.Length} bytes; {width} x {height} RGB24 needs {3L * width * height}.", nameof(rgb));
        byte[] pixels = rgb.ToArray();
        int stride = 3 * width;
        return PngWriter.Encode(width, height, bitDepth: 8, PngWriter.Rgb, stride,
            (y, row) => pixels.AsSpan(y * stride, stride).CopyTo(row));
    }
}
