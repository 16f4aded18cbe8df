namespace PixelLM.Masks;

/// <summary>
/// All masks of an image drawn over it: each mask's pixels blended with a fixed colour of its own (mask j
/// gets <see cref="Palette"/>[j mod count]), later masks over earlier ones. Images are RGB24: row-major,
/// 3 bytes per pixel, R first.
/// </summary>
public static class MaskOverlay
{
    /// <summary>The mask colours as 0xRRGGBB, chosen to stay apart from each other and from skin and sky tones.</summary>
    public static IReadOnlyList<int> Palette { get; } =
    [
        0xE6194B, 0x3CB44B, 0xFFE119, 0x4363D8, 0xF58231, 0x911EB4, 0x42D4F4, 0xF032E6, 0xBFEF45, 0x469990,
    ];

    /// <summary>
    /// The RGB24 image with every mask blended in: <c>out = (c·(256 − a) + colour·a + 128) / 256</c> on mask
    /// pixels, with <c>a = round(alpha·256)</c>; other pixels unchanged.
    /// </summary>
    /// <param name="rgb">The image, [height, width, 3].</param>
    /// <param name="width">Columns; every mask must have this width.</param>
    /// <param name="height">Rows; every mask must have this height.</param>
    /// <param name="masks">The masks, drawn in order.</param>
    /// <param name="alpha">Opacity of the colour, in [0, 1].</param>
    public static byte[] Render(ReadOnlySpan<byte> rgb, int width, int height, IReadOnlyList<Mask> masks, float alpha = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(masks);
        MaskArguments.RequireSize(height, width, nameof(rgb));
        if (rgb.Length != 3L * width * height)
            throw new ArgumentException($"rgb holds {rgb.Length} bytes; {width} x {height} RGB24 needs {3L * width * height}.", nameof(rgb));
        if (!(alpha >= 0 && alpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"alpha must be in [0, 1] (got {alpha}).");
        for (int j = 0; j < masks.Count; j++)
        {
            if (masks[j].Width != width || masks[j].Height != height)
                throw new ArgumentException($"Mask {j} is {masks[j].Width} x {masks[j].Height}, the image {width} x {height}.", nameof(masks));
        }
        byte[] output = rgb.ToArray();
        int a = (int)MathF.Round(alpha * 256);
        Parallel.For(0, height, y =>
        {
            Span<byte> row = output.AsSpan(y * 3 * width, 3 * width);
            for (int j = 0; j < masks.Count; j++)
            {
                ReadOnlySpan<byte> on = masks[j].Data.Slice(y * width, width);
                int colour = Palette[j % Palette.Count];
                int r = colour >> 16, g = (colour >> 8) & 0xFF, b = colour & 0xFF;
                for (int x = 0; x < width; x++)
                {
                    if (on[x] == 0)
                        continue;
                    row[3 * x] = Blend(row[3 * x], r, a);
                    row[3 * x + 1] = Blend(row[3 * x + 1], g, a);
                    row[3 * x + 2] = Blend(row[3 * x + 2], b, a);
                }
            }
        });
        return output;
    }

    private static byte Blend(int c, int colour, int a) => (byte)((c * (256 - a) + colour * a + 128) >> 8);
}
