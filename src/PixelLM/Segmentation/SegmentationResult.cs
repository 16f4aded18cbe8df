namespace PixelLM.Segmentation;

/// <summary>The model's answer to one question about an image.</summary>
/// <param name="Text">The answer, codebook tokens removed (spec §15.5).</param>
/// <param name="Segments">One per complete group of codebook tokens, in the order the answer names them.</param>
/// <param name="Timings">Where the time went.</param>
/// <param name="TokenIds">The answer's token ids as generated, codebook tokens included, the end token excluded.</param>
/// <param name="IncompleteCodebookTokens">Codebook tokens of a trailing group that was not completed (0 normally; spec §15.4).</param>
/// <param name="ReachedTokenLimit">True when the answer stopped at the token limit or the end of the context instead of the end token.</param>
public sealed record SegmentationResult(
    string Text,
    IReadOnlyList<Segment> Segments,
    SegmentationTimings Timings,
    IReadOnlyList<int> TokenIds,
    int IncompleteCodebookTokens,
    bool ReachedTokenLimit);
