namespace PixelLM.Masks;

/// <summary>How <see cref="MaskPostprocessor"/> fuses and what it keeps.</summary>
public sealed record MaskPostprocessOptions
{
    /// <summary>
    /// Weight of the level-0 (64×64) logits in the fusion, <c>pixellm.fusion.multiscale_scalar[0]</c> of the
    /// pixel file (spec §8.5; 0.5 in the released models).
    /// </summary>
    public float Level0Weight { get; init; } = 0.5f;

    /// <summary>Weight of the level-1 (128×128) logits, <c>pixellm.fusion.multiscale_scalar[1]</c> (0.5).</summary>
    public float Level1Weight { get; init; } = 0.5f;

    /// <summary>
    /// Keep each mask's full-resolution logits (<see cref="Mask.Logits"/>): H·W floats per mask (48 MB at
    /// 12 MP), so off unless asked.
    /// </summary>
    public bool KeepLogits { get; init; }

    /// <summary>Threads to use (-1: as many as the runtime likes).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
