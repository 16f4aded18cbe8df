using PixelLM.Interop;

namespace PixelLM.Pixel;

// The pixel decoder (spec §6.4-§8): the image-feature neck, then the masks of a batch of targets.
public sealed unsafe partial class PixelContext
{
    /// <summary>
    /// Runs the image-feature neck (spec §7.3) over the mask features of both scales, once per image.
    /// </summary>
    /// <param name="maskFeatures">
    /// [2][PatchGrid²][MaskFeatureWidth]: the mask projector's output for the deep, then the middle CLIP
    /// features (spec §4.3), row-major.
    /// </param>
    /// <returns>The neck output [2][PatchGrid²][DecoderWidth], channels-last, for <see cref="DecodeMasks(ReadOnlySpan{float}, ReadOnlySpan{float}, int)"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="maskFeatures"/> has the wrong length.</exception>
    /// <exception cref="ObjectDisposedException">The context was disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running on this context.</exception>
    public float[] PrepareMaskFeatures(ReadOnlySpan<float> maskFeatures)
    {
        int pixels = Info.PatchGrid * Info.PatchGrid;
        int expected = 2 * pixels * Info.MaskFeatureWidth;
        if (maskFeatures.Length != expected)
            throw new ArgumentException(
                $"The mask features hold {maskFeatures.Length} values; this model needs 2 scales x {pixels} patches x {Info.MaskFeatureWidth} = {expected}.",
                nameof(maskFeatures));
        var neck = new float[2 * pixels * Info.DecoderWidth];
        using CallGate.Pass use = _gate.Enter();
        fixed (float* features = maskFeatures)
        fixed (float* output = neck)
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_pixel_prepare_mask_features((pxl_pixel_context*)use.Pointer, features, output));
        return neck;
    }

    /// <summary>
    /// Decodes the masks of <paramref name="targets"/> targets in one batch (spec §6.4 steps 3-4, §7, §8): the
    /// codebook MLP and fusion, then both decoder levels.
    /// </summary>
    /// <param name="neck">The output of <see cref="PrepareMaskFeatures"/> for the image.</param>
    /// <param name="segHidden">
    /// [targets × SegTokensPerScale × ScaleCount][LanguageModelWidth]: the final hidden states that predict each
    /// codebook token, in generation order (spec §6.4).
    /// </param>
    /// <param name="targets">Number of targets, at least 1.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="targets"/> is below 1.</exception>
    /// <exception cref="ObjectDisposedException">The context was disposed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running on this context.</exception>
    public DecodedMasks DecodeMasks(ReadOnlySpan<float> neck, ReadOnlySpan<float> segHidden, int targets) =>
        DecodeMasks(neck, segHidden, targets, null);

    /// <summary>The same, also filling <paramref name="intermediates"/> (made for the same target count) when given.</summary>
    internal DecodedMasks DecodeMasks(ReadOnlySpan<float> neck, ReadOnlySpan<float> segHidden, int targets,
        MaskDecoderIntermediates? intermediates)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targets, 1);
        int g = Info.PatchGrid;
        int neckLength = 2 * g * g * Info.DecoderWidth;
        if (neck.Length != neckLength)
            throw new ArgumentException(
                $"The neck output holds {neck.Length} values; this model's is {neckLength} (2 x {g * g} x {Info.DecoderWidth}).",
                nameof(neck));
        int rows = targets * Info.SegTokensPerScale * Info.ScaleCount;
        if ((long)segHidden.Length != (long)rows * Info.LanguageModelWidth)
            throw new ArgumentException(
                $"The codebook hidden states hold {segHidden.Length} values; {targets} targets need {rows} rows of {Info.LanguageModelWidth}.",
                nameof(segHidden));

        var result = new DecodedMasks(targets, new float[targets * 4 * g * g], 2 * g, new float[targets * 16 * g * g], 4 * g,
            new float[targets * 2 * Info.MaskTokenCount], Info.MaskTokenCount);
        using CallGate.Pass use = _gate.Enter();
        fixed (float* neckPointer = neck)
        fixed (float* hidden = segHidden)
        fixed (float* level0 = result.Level0)
        fixed (float* level1 = result.Level1)
        fixed (float* iou = result.Iou)
        {
            pxl_mask_outputs outputs = NativeMethods.pxl_mask_outputs_default();
            outputs.level0 = level0;
            outputs.level1 = level1;
            outputs.iou = iou;
            if (intermediates is null)
            {
                NativeStatus.ThrowIfFailed(NativeMethods.pxl_pixel_decode_masks((pxl_pixel_context*)use.Pointer, neckPointer, hidden, targets,
                    Info.LanguageModelWidth, &outputs));
                return result;
            }

            MaskDecoderIntermediates d = intermediates;
            fixed (float* textFcs = d.TextFcs)
            fixed (float* queries = d.Queries)
            fixed (float* pe0 = d.Pe[0])
            fixed (float* pe1 = d.Pe[1])
            fixed (float* src0 = d.Src[0])
            fixed (float* src1 = d.Src[1])
            fixed (float* tokens0 = d.Tokens[0])
            fixed (float* tokens1 = d.Tokens[1])
            fixed (float* out0 = d.OutQueries[0])
            fixed (float* out1 = d.OutQueries[1])
            fixed (float* keys0 = d.Keys[0])
            fixed (float* keys1 = d.Keys[1])
            {
                outputs.text_fcs = textFcs;
                outputs.queries = queries;
                outputs.pe_level0 = pe0;
                outputs.pe_level1 = pe1;
                outputs.level0_src = src0;
                outputs.level0_tokens = tokens0;
                outputs.level0_queries = out0;
                outputs.level0_keys = keys0;
                outputs.level1_src = src1;
                outputs.level1_tokens = tokens1;
                outputs.level1_queries = out1;
                outputs.level1_keys = keys1;
                NativeStatus.ThrowIfFailed(NativeMethods.pxl_pixel_decode_masks((pxl_pixel_context*)use.Pointer, neckPointer, hidden, targets,
                    Info.LanguageModelWidth, &outputs));
            }
        }

        return result;
    }
}
