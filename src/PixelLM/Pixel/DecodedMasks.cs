namespace PixelLM.Pixel;

/// <summary>
/// The pixel decoder's raw output for a batch of targets (spec §8.4): the low-resolution mask logits
/// of both decoder levels, row-major, and the IoU predictions. Fusing the two levels (spec §8.5) and
/// resizing to the image are later steps.
/// </summary>
/// <param name="Targets">Number of targets (masks), in the order of the codebook groups given.</param>
/// <param name="Level0">[Targets][Level0Side][Level0Side] the level-0 logits m0.</param>
/// <param name="Level0Side">Side of a level-0 mask (64 in the release: twice the patch grid).</param>
/// <param name="Level1">[Targets][Level1Side][Level1Side] the level-1 logits m1, conditioned on m0.</param>
/// <param name="Level1Side">Side of a level-1 mask (128 in the release).</param>
/// <param name="Iou">[Targets][2 levels][MaskTokens] the IoU predictions (the original model discards them).</param>
/// <param name="MaskTokens">IoU values per target and level (4).</param>
public sealed record DecodedMasks(
    int Targets, float[] Level0, int Level0Side, float[] Level1, int Level1Side, float[] Iou, int MaskTokens)
{
    /// <summary>Target <paramref name="target"/>'s level-0 logits, [Level0Side][Level0Side].</summary>
    public ReadOnlySpan<float> Level0Of(int target) => Level0.AsSpan(Slice(target, Level0Side * Level0Side));

    /// <summary>Target <paramref name="target"/>'s level-1 logits, [Level1Side][Level1Side].</summary>
    public ReadOnlySpan<float> Level1Of(int target) => Level1.AsSpan(Slice(target, Level1Side * Level1Side));

    private Range Slice(int target, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, Targets);
        return new Range(target * size, (target + 1) * size);
    }
}
