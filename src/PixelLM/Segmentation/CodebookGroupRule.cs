namespace PixelLM.Segmentation;

/// <summary>What happens to codebook tokens that do not fill a whole group (spec §6.4, §13.4, §15.4).</summary>
public enum CodebookGroupRule
{
    /// <summary>
    /// The product rule (§15.4): every complete group of codebook tokens becomes a mask; a trailing
    /// incomplete group (generation stopped inside it) is dropped and reported.
    /// </summary>
    CompleteGroups,

    /// <summary>
    /// The original code's rule (§6.4 step 2), for parity: unless the number of codebook tokens is a
    /// multiple of the group size, every mask is dropped.
    /// </summary>
    Original,
}
