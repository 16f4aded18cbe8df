namespace PixelLM.Pixel;

/// <summary>The hyper-parameters of a loaded pixel model (the second file of a PixelLM pair).</summary>
/// <param name="ImageSize">Side of the square, padded input of the vision tower in pixels (448).</param>
/// <param name="PatchSize">ViT patch side (14).</param>
/// <param name="VisionWidth">Width of the vision tower.</param>
/// <param name="VisionLayerCount">Blocks of the vision tower.</param>
/// <param name="VisionHeadCount">Attention heads of the vision tower.</param>
/// <param name="ImageTokenGrid">Side of the pooled grid of image tokens the language model reads (16: 256 tokens).</param>
/// <param name="LanguageModelWidth">Width of the language model this file belongs to.</param>
/// <param name="LanguageModelVocabularySize">Vocabulary size of that language model.</param>
/// <param name="DecoderWidth">Width of the mask prompts and of the pixel decoder (256 in the release).</param>
/// <param name="SegTokensPerScale">Codebook tokens per scale (3).</param>
/// <param name="ScaleCount">Feature scales (2); each target takes SegTokensPerScale x ScaleCount codebook tokens.</param>
/// <param name="SegTokenIds">The codebook token ids in order.</param>
/// <param name="ImageStartId">Id of the marker before the image tokens.</param>
/// <param name="ImageEndId">Id of the marker after them.</param>
/// <param name="ImageMean">Per-channel (R, G, B) mean of the input normalization, on the 0..255 scale.</param>
/// <param name="ImageStd">Per-channel standard deviation, on the 0..255 scale.</param>
/// <param name="MaskFeatureWidth">Width of the mask features the image-feature neck reads (the mask projector's output).</param>
/// <param name="MaskTokenCount">Mask tokens of the pixel decoder (4): IoU predictions per target and level.</param>
/// <param name="VisionMlpWidth">Width of the vision tower's MLP (4096 for ViT-L).</param>
public sealed record PixelModelInfo(
    int ImageSize,
    int PatchSize,
    int VisionWidth,
    int VisionLayerCount,
    int VisionHeadCount,
    int ImageTokenGrid,
    int LanguageModelWidth,
    int LanguageModelVocabularySize,
    int DecoderWidth,
    int SegTokensPerScale,
    int ScaleCount,
    IReadOnlyList<int> SegTokenIds,
    int ImageStartId,
    int ImageEndId,
    IReadOnlyList<float> ImageMean,
    IReadOnlyList<float> ImageStd,
    int MaskFeatureWidth,
    int MaskTokenCount,
    int VisionMlpWidth)
{
    /// <summary>Side of the vision tower's patch grid (32).</summary>
    public int PatchGrid => ImageSize / PatchSize;

    /// <summary>Number of image tokens spliced into the prompt (256).</summary>
    public int ImageTokenCount => ImageTokenGrid * ImageTokenGrid;
}
