namespace PixelLM.Conversion;

/// <summary>
/// The CLIP position table resized from the checkpoint's g0×g0 grid to the g1×g1 grid of a 448 input,
/// exactly as <c>CLIPVisionTower.load_model</c> does it (spec §3.2), including its mis-indexing: the last
/// row is treated as the CLS position and rows 0..g0²−1 (the real CLS first) as the grid.
/// </summary>
internal static class PositionTableStretch
{
    /// <summary>
    /// Stretches <paramref name="table"/> ([1 + g0², width], row-major) into <paramref name="result"/> ([1 + g1², width]).
    /// Steps (§3.2): c* = P[g0²]; G[r][c] = P[g0·r + c]; G' = bilinear(align_corners=False)(G → g1×g1) in f32;
    /// Pn[k] = G'[k / g1][k % g1] for k &lt; g1², Pn[g1²] = c*.
    /// </summary>
    internal static void Stretch(ReadOnlySpan<float> table, int g0, int g1, int width, Span<float> result)
    {
        var source = new (int Low, int High, float Weight)[g1];
        for (int i = 0; i < g1; i++)
            source[i] = Source(i, g0, g1);

        for (int r = 0; r < g1; r++)
        {
            (int r0, int r1, float wr) = source[r];
            for (int c = 0; c < g1; c++)
            {
                (int c0, int c1, float wc) = source[c];
                Span<float> row = result.Slice((r * g1 + c) * width, width);
                ReadOnlySpan<float> p00 = table.Slice((r0 * g0 + c0) * width, width);
                ReadOnlySpan<float> p01 = table.Slice((r0 * g0 + c1) * width, width);
                ReadOnlySpan<float> p10 = table.Slice((r1 * g0 + c0) * width, width);
                ReadOnlySpan<float> p11 = table.Slice((r1 * g0 + c1) * width, width);
                for (int k = 0; k < width; k++)
                {
                    // PyTorch's upsample_bilinear2d order: lambdas applied as h0·(w0·a + w1·b) + h1·(w0·c + w1·d).
                    row[k] = ((1 - wr) * (((1 - wc) * p00[k]) + (wc * p01[k]))) + (wr * (((1 - wc) * p10[k]) + (wc * p11[k])));
                }
            }
        }

        table.Slice(g0 * g0 * width, width).CopyTo(result.Slice(g1 * g1 * width, width));
    }

    // align_corners=False source coordinate of output index i (§12.1): (i + 0.5)·scale − 0.5, clamped at 0;
    // scale = in / out in f32 as PyTorch computes it for a given output size.
    private static (int Low, int High, float Weight) Source(int i, int input, int output)
    {
        float scale = (float)input / output;
        float x = MathF.Max((scale * (i + 0.5f)) - 0.5f, 0f);
        int low = Math.Min((int)x, input - 1);
        int high = Math.Min(low + 1, input - 1);
        return (low, high, x - low);
    }
}
