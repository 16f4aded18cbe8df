namespace PixelLM.Masks;

/// <summary>What the threshold kernel measures of one full-resolution mask while it writes it (spec §9.2).</summary>
/// <param name="Area">Pixels with a logit above 0.</param>
/// <param name="SigmoidSum">Σ σ(l) over those pixels, the numerator of the mask score.</param>
/// <param name="Box">The box around those pixels.</param>
public readonly record struct MaskStatistics(long Area, double SigmoidSum, MaskBox Box)
{
    /// <summary>
    /// The reference's mask score, <c>Σ σ(l)·[l&gt;0] / (Σ [l&gt;0] + 1e-6)</c>: the mean confidence inside the
    /// mask, 0 for an empty one. The denominator is formed in f32 as the reference does (count + 1e-6f).
    /// </summary>
    public float Score => (float)SigmoidSum / ((float)Area + 1e-6f);
}
