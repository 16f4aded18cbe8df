using PixelLM.Imaging;

namespace PixelLM.Segmentation;

/// <summary>What a session remembers between turns: the image, its features, and how many positions the turns so far fill.</summary>
/// <param name="Image">The preprocessed image (its cache key, sizes and validity masks).</param>
/// <param name="ImageTokens">[image tokens][language-model width], spliced into the first prompt.</param>
/// <param name="Neck">The pixel decoder's image features (the neck's output for both scales).</param>
/// <param name="Length">Positions of the KV cache the complete turns fill.</param>
/// <param name="FeatureCacheHit">True when the vision features came from the model's cache.</param>
internal sealed record Conversation(PreprocessedImage Image, float[] ImageTokens, float[] Neck, int Length, bool FeatureCacheHit);
