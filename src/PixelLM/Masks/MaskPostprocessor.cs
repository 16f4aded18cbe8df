namespace PixelLM.Masks;

/// <summary>
/// Turns the pixel decoder's low-resolution logits into masks at the original image size (spec §8.5, §9):
/// fuses the two levels, resizes to the 448 square, crops the padding, resizes to (H, W), thresholds, and
/// measures score, box and area on the way, without ever holding all full-resolution logits unless asked.
/// </summary>
/// <param name="kernels">The kernels to run on (default: <see cref="CpuMaskKernels.Instance"/>).</param>
public sealed class MaskPostprocessor(IMaskKernels? kernels = null)
{
    /// <summary>The kernels in use.</summary>
    public IMaskKernels Kernels { get; } = kernels ?? CpuMaskKernels.Instance;

    /// <summary>Post-processes every target of one image.</summary>
    /// <param name="level0">Level-0 logits [N, side0, side0], row-major (the decoder's first level, 64×64).</param>
    /// <param name="level0Side">side0.</param>
    /// <param name="level1">Level-1 logits [N, side1, side1] (128×128).</param>
    /// <param name="level1Side">side1.</param>
    /// <param name="geometry">(h', w') and (H, W).</param>
    /// <param name="options">Fusion weights and what to keep (default: <see cref="MaskPostprocessOptions"/>'s defaults).</param>
    /// <returns>N masks, in the order of the targets.</returns>
    /// <exception cref="ArgumentException">A size is not positive, or a buffer's length does not match the sizes.</exception>
    public IReadOnlyList<Mask> Process(ReadOnlySpan<float> level0, int level0Side, ReadOnlySpan<float> level1, int level1Side,
        MaskGeometry geometry, MaskPostprocessOptions? options = null)
    {
        options ??= new MaskPostprocessOptions();
        int count = TargetCount(level0, level0Side, level1, level1Side);
        geometry.Validate();
        if (count == 0)
            return [];

        // §8.5 and §9.1 steps 1-3 per target, on planes of at most 448×448: parallel over targets.
        int plane0 = level0Side * level0Side, plane1 = level1Side * level1Side;
        float[] levels0 = level0.ToArray(), levels1 = level1.ToArray();
        var cropped = new float[count][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        Parallel.For(0, count, parallel, n =>
        {
            var fused = new float[plane1];
            Kernels.FuseLevels(levels0.AsSpan(n * plane0, plane0), level0Side, levels1.AsSpan(n * plane1, plane1), level1Side,
                options.Level0Weight, options.Level1Weight, fused);
            cropped[n] = new float[geometry.InputHeight * geometry.InputWidth];
            Kernels.Resize(fused, level1Side, level1Side, geometry.SquareSide, geometry.SquareSide, cropped[n],
                geometry.InputHeight, geometry.InputWidth);
        });

        // §9.1 step 4 and §9.2 per target, each parallel over its rows.
        var masks = new Mask[count];
        int pixels = geometry.Height * geometry.Width;
        for (int n = 0; n < count; n++)
        {
            var binary = new byte[pixels];
            float[]? logits = options.KeepLogits ? new float[pixels] : null;
            MaskStatistics statistics = Kernels.ResizeAndThreshold(cropped[n], geometry.InputHeight, geometry.InputWidth,
                geometry.Height, geometry.Width, binary, logits, options.MaxDegreeOfParallelism);
            masks[n] = new Mask(geometry.Width, geometry.Height, binary, logits, statistics);
        }
        return masks;
    }

    private static int TargetCount(ReadOnlySpan<float> level0, int level0Side, ReadOnlySpan<float> level1, int level1Side)
    {
        MaskArguments.RequireSize(level0Side, level0Side, nameof(level0Side));
        MaskArguments.RequireSize(level1Side, level1Side, nameof(level1Side));
        long plane0 = (long)level0Side * level0Side, plane1 = (long)level1Side * level1Side;
        if (level0.Length % plane0 != 0)
            throw new ArgumentException($"level0 holds {level0.Length} values, not a whole number of {level0Side} x {level0Side} planes.", nameof(level0));
        long count = level0.Length / plane0;
        if (level1.Length != count * plane1)
            throw new ArgumentException(
                $"level1 holds {level1.Length} values; {count} targets of {level1Side} x {level1Side} need {count * plane1}.", nameof(level1));
        return (int)count;
    }
}
