using PixelLM.Interop;

namespace PixelLM.Pixel;

public sealed unsafe partial class PixelContext
{
    /// <summary>
    /// Runs the vision tower and both projectors on one preprocessed image (spec §3-4).
    /// </summary>
    /// <param name="pixels">
    /// [3][S][S] channel-planar RGB, S = <see cref="PixelModelInfo.ImageSize"/>: normalized and zero-padded at the
    /// bottom and right (spec §2.2).
    /// </param>
    /// <param name="validHeight">Rows of <paramref name="pixels"/> the image covers (h', 1..S).</param>
    /// <param name="validWidth">Columns the image covers (w', 1..S); patches outside are hidden from attention.</param>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> does not hold 3 x S x S values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A valid size is outside 1..S.</exception>
    /// <exception cref="ObjectDisposedException">The context was disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running on this context.</exception>
    public VisionFeatures EncodeImage(ReadOnlySpan<float> pixels, int validHeight, int validWidth) =>
        Encode(pixels, validHeight, validWidth, null);

    /// <summary>
    /// <see cref="EncodeImage(ReadOnlySpan{float}, int, int)"/>, also returning the tower's intermediate results for
    /// parity checks against the reference.
    /// </summary>
    public VisionFeatures EncodeImage(ReadOnlySpan<float> pixels, int validHeight, int validWidth, out VisionIntermediates intermediates)
    {
        int positions = (Info.PatchGrid * Info.PatchGrid) + 1;
        intermediates = new VisionIntermediates(
            new float[positions * Info.VisionWidth], new float[positions * Info.VisionWidth],
            new float[positions * Info.VisionWidth], new float[Info.ImageTokenCount * Info.VisionWidth]);
        return Encode(pixels, validHeight, validWidth, intermediates);
    }

    private VisionFeatures Encode(ReadOnlySpan<float> pixels, int validHeight, int validWidth, VisionIntermediates? intermediates)
    {
        int size = Info.ImageSize;
        long expected = 3L * size * size;
        if (pixels.Length != expected)
            throw new ArgumentException(
                $"pixels holds {pixels.Length} values; the tower takes 3 x {size} x {size} = {expected} (channel-planar, padded)",
                nameof(pixels));
        ArgumentOutOfRangeException.ThrowIfLessThan(validHeight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(validHeight, size);
        ArgumentOutOfRangeException.ThrowIfLessThan(validWidth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(validWidth, size);

        int patches = Info.PatchGrid * Info.PatchGrid;
        int width = Info.LanguageModelWidth;
        var tokens = new float[Info.ImageTokenCount * width];
        var maskFeatures = new float[2 * patches * width];
        using CallGate.Pass use = _gate.Enter();
        fixed (float* pixelPointer = pixels)
        fixed (float* tokenPointer = tokens)
        fixed (float* maskPointer = maskFeatures)
        fixed (float* hs0 = intermediates?.Embeddings)
        fixed (float* deep = intermediates?.DeepHiddenStates)
        fixed (float* mid = intermediates?.MidHiddenStates)
        fixed (float* pooled = intermediates?.Pooled)
        {
            var outputs = new pxl_vision_outputs
            {
                struct_size = (ulong)sizeof(pxl_vision_outputs),
                image_tokens = tokenPointer,
                mask_features = maskPointer,
                hs0 = hs0,
                hs_deep = deep,
                hs_mid = mid,
                pooled = pooled,
            };
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_vision_encode((pxl_pixel_context*)use.Pointer, pixelPointer, validHeight, validWidth, &outputs));
        }
        return new VisionFeatures(tokens, maskFeatures, Info.ImageTokenCount, patches, width);
    }
}
