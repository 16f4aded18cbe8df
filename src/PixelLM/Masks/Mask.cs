namespace PixelLM.Masks;

/// <summary>
/// One segmentation mask at the original image's size: row-major [Height, Width] bytes, 1 on the object and
/// 0 elsewhere (spec §15.6), with the reference's score, its box and its area.
/// </summary>
public sealed class Mask
{
    private readonly byte[] _data;
    private readonly float[]? _logits;

    internal Mask(int width, int height, byte[] data, float[]? logits, MaskStatistics statistics)
    {
        Width = width;
        Height = height;
        _data = data;
        _logits = logits;
        Score = statistics.Score;
        Box = statistics.Box;
        Area = statistics.Area;
    }

    /// <summary>Columns (W).</summary>
    public int Width { get; }

    /// <summary>Rows (H).</summary>
    public int Height { get; }

    /// <summary>The pixels, row-major [Height, Width]: 1 where the logit is above 0, else 0.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>
    /// The logits at the original size, row-major [Height, Width], when <see cref="MaskPostprocessOptions.KeepLogits"/>
    /// was set; empty otherwise.
    /// </summary>
    public ReadOnlySpan<float> Logits => _logits;

    /// <summary>The pixel array itself, for the encoders (never handed out: masks are immutable).</summary>
    internal byte[] Pixels => _data;

    /// <summary>True when <see cref="Logits"/> were kept.</summary>
    public bool HasLogits => _logits is not null;

    /// <summary>The mean sigmoid of the logits inside the mask (spec §9.2); 0 for an empty mask.</summary>
    public float Score { get; }

    /// <summary>The box around the mask, COCO's [x, y, width, height] in original pixels.</summary>
    public MaskBox Box { get; }

    /// <summary>Pixels on the object.</summary>
    public long Area { get; }

    /// <summary>Whether pixel (<paramref name="x"/>, <paramref name="y"/>) is on the object.</summary>
    public bool this[int x, int y]
    {
        get
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
                throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width} x {Height} mask.");
            return _data[(long)y * Width + x] != 0;
        }
    }
}
