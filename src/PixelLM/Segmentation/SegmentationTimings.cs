namespace PixelLM.Segmentation;

/// <summary>Where the time of one answer went (wall clock). Stages that did not run are zero.</summary>
/// <param name="Preprocess">Resize, normalise and pad the image.</param>
/// <param name="Vision">The vision tower, the projectors and the mask-feature neck (zero on a feature-cache hit).</param>
/// <param name="Prefill">Running the prompt with the image tokens through the language model.</param>
/// <param name="Generation">Choosing the answer's tokens one by one.</param>
/// <param name="PixelDecoder">The pixel decoder (codebook states to low-resolution mask logits).</param>
/// <param name="Postprocess">Fusing, resizing and thresholding the masks, with their scores, boxes and areas.</param>
/// <param name="GeneratedTokens">Tokens of the answer, codebook tokens and the end token included.</param>
/// <param name="FeatureCacheHit">True when the image's features came from the cache.</param>
public sealed record SegmentationTimings(
    TimeSpan Preprocess,
    TimeSpan Vision,
    TimeSpan Prefill,
    TimeSpan Generation,
    TimeSpan PixelDecoder,
    TimeSpan Postprocess,
    int GeneratedTokens,
    bool FeatureCacheHit)
{
    /// <summary>The sum of the stages.</summary>
    public TimeSpan Total => Preprocess + Vision + Prefill + Generation + PixelDecoder + Postprocess;
}
