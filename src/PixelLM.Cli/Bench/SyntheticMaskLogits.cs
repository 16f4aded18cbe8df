namespace PixelLM.Cli.Bench;

/// <summary>
/// Deterministic low-resolution mask logits for <c>bench masks</c>: smooth waves, different per target, that
/// put 45 to 80 % of each image inside the mask. The reference's bench (<c>pixellm_ref.bench_masks</c>)
/// builds the same formula; the cost of the stage does not depend on the values beyond that coverage.
/// </summary>
internal static class SyntheticMaskLogits
{
    /// <summary>[count, side, side] logits, row-major: 4·sin(0.9·(n+1)·x/side + 0.3·n) + 3·cos(1.7·y/side·(n+1)/2).</summary>
    internal static float[] Create(int count, int side)
    {
        var values = new float[count * side * side];
        for (int n = 0; n < count; n++)
        {
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    double v = 4 * Math.Sin(9.0 * (n + 1) * x / side + 0.3 * n) + 3 * Math.Cos(1.7 * y / side * (n + 1) / 2);
                    values[(n * side + y) * side + x] = (float)v;
                }
            }
        }
        return values;
    }
}
