using PixelLM.Imaging;
using PixelLM.Llm;
using PixelLM.Masks;
using PixelLM.Pixel;

namespace PixelLM.Segmentation;

/// <summary>
/// The image-side stages of a session (spec §1): preprocessing, the vision tower with its projectors
/// (through the model's feature cache) and the neck, splicing the image tokens into a batch, and turning
/// groups of codebook states into segments (pixel decoder, then the C# mask kernels).
/// </summary>
internal sealed class SegmentationStages(PixelLmModel model, PixelContext pixel, PixelLmSessionOptions options)
{
    private readonly MaskPostprocessor _postprocessor = new();

    public int ImageTokenCount => model.PixelModel.Info.ImageTokenCount;

    public PreprocessedImage Preprocess(PixelImage image) => model.Preprocessor.Preprocess(image);

    /// <summary>Starts a conversation about <paramref name="image"/>: its features, from the cache when it has them.</summary>
    public Conversation Start(PreprocessedImage image, StageClock clock)
    {
        bool cached = model.FeatureCache.TryGet(image.CacheKey, out VisionFeatures? features);
        return clock.Time(Stage.Vision, () =>
        {
            if (!cached)
            {
                features = pixel.EncodeImage(image.Pixels, image.ResizedHeight, image.ResizedWidth);
                model.FeatureCache.Add(image.CacheKey, features);
            }
            return new Conversation(image, features!.ImageTokens, pixel.PrepareMaskFeatures(features.MaskFeatures), Length: 0,
                FeatureCacheHit: cached);
        });
    }

    /// <summary>Adds the image tokens at <paramref name="position"/>; those over padding are hidden as keys (spec §5.4).</summary>
    public void AddImageTokens(DecodeBatch batch, Conversation conversation, ref int position)
    {
        int width = model.LanguageModel.Info.EmbeddingWidth;
        float[] tokens = conversation.ImageTokens;
        bool[] valid = conversation.Image.TokenValid;
        for (int i = 0; i < ImageTokenCount; i++)
            batch.AddEmbedding(tokens.AsSpan(i * width, width), 0, position++, hiddenKey: !valid[i]);
    }

    /// <summary>Decodes the masks of <paramref name="groups"/> in one batch and builds their segments.</summary>
    public List<Segment> DecodeSegments(IReadOnlyList<CodebookGroup> groups, string answerText, Conversation conversation, StageClock clock)
    {
        int groupValues = groups[0].PredictorStates.Length;
        var states = new float[groups.Count * groupValues];
        for (int g = 0; g < groups.Count; g++)
            groups[g].PredictorStates.CopyTo(states, g * groupValues);
        DecodedMasks logits = clock.Time(Stage.PixelDecoder, () => pixel.DecodeMasks(conversation.Neck, states, groups.Count));

        PreprocessedImage image = conversation.Image;
        (int width, int height) = options.MaskSize ?? (image.OriginalWidth, image.OriginalHeight);
        var geometry = new MaskGeometry(image.ResizedHeight, image.ResizedWidth, height, width);
        var fusion = new MaskPostprocessOptions { Level0Weight = model.ScaleWeights.Level0, Level1Weight = model.ScaleWeights.Level1 };
        IReadOnlyList<Mask> masks = clock.Time(Stage.Postprocess, () =>
            _postprocessor.Process(logits.Level0, logits.Level0Side, logits.Level1, logits.Level1Side, geometry, fusion));

        var segments = new List<Segment>(groups.Count);
        for (int g = 0; g < groups.Count; g++)
        {
            TextSpan span = groups[g].Label;
            Mask mask = masks[g];
            segments.Add(new Segment(groups[g].Index, answerText.Substring(span.Start, span.Length), span, mask, mask.Score, mask.Box, mask.Area));
        }
        return segments;
    }
}
