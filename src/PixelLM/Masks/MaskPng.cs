namespace PixelLM.Masks;

/// <summary>
/// Masks as PNG files, one file per mask: 1-bit greyscale, white (1) on the object and black (0) elsewhere,
/// at the mask's full size.
/// </summary>
public static class MaskPng
{
    /// <summary>The PNG bytes of <paramref name="mask"/>.</summary>
    public static byte[] Encode(Mask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return EncodePixels(mask.Pixels, mask.Width, mask.Height);
    }

    /// <summary>The PNG bytes of a row-major [height, width] mask (non-zero bytes are on).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> mask, int width, int height)
    {
        MaskArguments.RequirePlane(mask, height, width, nameof(mask));
        return EncodePixels(mask.ToArray(), width, height);
    }

    private static byte[] EncodePixels(byte[] pixels, int width, int height)
    {
        return PngWriter.Encode(width, height, bitDepth: 1, PngWriter.Grey, (width + 7) / 8, (y, row) =>
        {
            row.Clear();
            ReadOnlySpan<byte> source = pixels.AsSpan(y * width, width);
            for (int x = 0; x < width; x++)
            {
                if (source[x] != 0)
                    row[x >> 3] |= (byte)(0x80 >> (x & 7));
            }
        });
    }

    /// <summary>
    /// Writes <c>{stem}_mask_{j}.png</c> for each mask j into <paramref name="directory"/> (created if missing)
    /// and returns the paths, in order.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(IReadOnlyList<Mask> masks, string directory, string stem)
    {
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(stem);
        Directory.CreateDirectory(directory);
        var paths = new string[masks.Count];
        for (int j = 0; j < masks.Count; j++)
        {
            paths[j] = Path.Combine(directory, $"{stem}_mask_{j}.png");
            File.WriteAllBytes(paths[j], Encode(masks[j]));
        }
        return paths;
    }
}
