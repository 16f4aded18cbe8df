namespace PixelLM.Imaging;

/// <summary>
/// An image prepared for the vision tower (spec §2.2, §2.5), with the bookkeeping later stages need:
/// where the image lies in the padded square, which patches and LLM image tokens hold image, and a
/// cache key that identifies the result.
/// </summary>
public sealed class PreprocessedImage
{
    internal PreprocessedImage(float[] pixels, int imageSize, int resizedWidth, int resizedHeight, int originalWidth,
        int originalHeight, bool[] patchValid, int patchGrid, bool[] tokenValid, int tokenGrid, string cacheKey)
    {
        Pixels = pixels;
        ImageSize = imageSize;
        ResizedWidth = resizedWidth;
        ResizedHeight = resizedHeight;
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
        PatchValid = patchValid;
        PatchGrid = patchGrid;
        TokenValid = tokenValid;
        TokenGrid = tokenGrid;
        CacheKey = cacheKey;
    }

    /// <summary>
    /// The tower's input, <c>[3, ImageSize, ImageSize]</c> f32, planar R, G, B, row-major:
    /// <c>(v − mean) / std</c> for the resized pixels in the top-left
    /// <c>ResizedHeight × ResizedWidth</c> corner, 0 in the padding. Owned by this object; do not modify.
    /// </summary>
    public float[] Pixels { get; }

    /// <summary>Side of the padded square (448).</summary>
    public int ImageSize { get; }

    /// <summary>w′: the width after resizing the longest side to <see cref="ImageSize"/>.</summary>
    public int ResizedWidth { get; }

    /// <summary>h′: the height after resizing the longest side to <see cref="ImageSize"/>.</summary>
    public int ResizedHeight { get; }

    /// <summary>The image's width before resizing (the size masks are mapped back to).</summary>
    public int OriginalWidth { get; }

    /// <summary>The image's height before resizing.</summary>
    public int OriginalHeight { get; }

    /// <summary>
    /// <c>[PatchGrid, PatchGrid]</c> row-major: patch (i, j) holds image, i.e. <c>14·i &lt; h′</c> and
    /// <c>14·j &lt; w′</c> (spec §2.5). Owned by this object; do not modify.
    /// </summary>
    public bool[] PatchValid { get; }

    /// <summary>Side of the patch grid (32).</summary>
    public int PatchGrid { get; }

    /// <summary>
    /// <c>[TokenGrid, TokenGrid]</c> row-major: LLM image token (u, v) attends, i.e.
    /// <c>PatchValid[2u, 2v]</c> (spec §2.5). Owned by this object; do not modify.
    /// </summary>
    public bool[] TokenValid { get; }

    /// <summary>Side of the LLM image-token grid (16).</summary>
    public int TokenGrid { get; }

    /// <summary>
    /// 64 hex digits: SHA-256 over the decoded pixels, their size and the preprocessing parameters.
    /// Equal keys mean equal <see cref="Pixels"/>, so a feature cache can recognise the same image.
    /// </summary>
    public string CacheKey { get; }
}
