namespace PixelLM.Masks;

/// <summary>
/// The numeric steps of mask post-processing (spec §8.5, §9.1, §9.2), one target at a time, behind one
/// small interface so that another device (a GPU) can take them over; <see cref="CpuMaskKernels"/> is the
/// default. Every plane is f32, row-major, without padding between rows. Implementations must match the
/// reference's rounding as documented on each method and must not keep the buffers after returning.
/// </summary>
public interface IMaskKernels
{
    /// <summary>
    /// Cross-scale fusion (§8.5): <c>fused = w0·bilinear(level0 → side1) + w1·level1</c>, each product rounded
    /// to f32 before the sum, as the reference's <c>fused + scalar·m</c> does. The resize rounds as PyTorch's
    /// kernel for a strided input (the decoder's <c>masks[:, 0:1]</c> is a view), like
    /// <see cref="ResizeAndThreshold"/>; torch takes its contiguous kernel instead when N = 1, which differs
    /// by an f32 ulp at most here.
    /// </summary>
    /// <param name="level0">Level-0 logits [side0, side0].</param>
    /// <param name="level0Side">side0 (64 in the released models).</param>
    /// <param name="level1">Level-1 logits [side1, side1].</param>
    /// <param name="level1Side">side1 (128), also the side of <paramref name="fused"/>.</param>
    /// <param name="level0Weight">w0, <c>pixellm.fusion.multiscale_scalar[0]</c>.</param>
    /// <param name="level1Weight">w1, <c>pixellm.fusion.multiscale_scalar[1]</c>.</param>
    /// <param name="fused">Output [side1, side1].</param>
    void FuseLevels(ReadOnlySpan<float> level0, int level0Side, ReadOnlySpan<float> level1, int level1Side,
        float level0Weight, float level1Weight, Span<float> fused);

    /// <summary>
    /// <c>bilinear(ac=F)</c> of a small plane to [targetHeight, targetWidth], keeping only the top-left
    /// [rows, columns] (the crop of §9.1 step 3: the rest is never computed). Rounding as PyTorch's CPU kernel
    /// for a contiguous input: the four taps' products with f32 weights <c>λh·λw</c> summed in double.
    /// </summary>
    /// <param name="source">[sourceHeight, sourceWidth].</param>
    /// <param name="sourceHeight">Rows of <paramref name="source"/>.</param>
    /// <param name="sourceWidth">Columns of <paramref name="source"/>.</param>
    /// <param name="targetHeight">Rows of the whole resize (sets the scale).</param>
    /// <param name="targetWidth">Columns of the whole resize (sets the scale).</param>
    /// <param name="destination">Output [rows, columns].</param>
    /// <param name="rows">Rows kept, at most <paramref name="targetHeight"/>.</param>
    /// <param name="columns">Columns kept, at most <paramref name="targetWidth"/>.</param>
    void Resize(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth, int targetHeight, int targetWidth,
        Span<float> destination, int rows, int columns);

    /// <summary>
    /// The last resize to the original size (§9.1 step 4) fused with the threshold and the measurements of
    /// §9.2, so the full-resolution logits need not exist: <c>binary = logit &gt; 0</c> as 0/1 bytes, and the
    /// area, sigmoid sum and box. Rounding as PyTorch's kernel for the cropped (strided) input: per source row
    /// <c>r = fma(v[i0], λw0, v[i1]·λw1)</c>, then <c>l = fma(r[i0], λh0, r[i1]·λh1)</c>.
    /// </summary>
    /// <param name="source">[sourceHeight, sourceWidth], the cropped plane (h', w').</param>
    /// <param name="sourceHeight">h'.</param>
    /// <param name="sourceWidth">w'.</param>
    /// <param name="height">H, rows of the original image.</param>
    /// <param name="width">W, columns of the original image.</param>
    /// <param name="binary">Output [H, W]: 1 where the logit is above 0, else 0.</param>
    /// <param name="logits">Output [H, W] logits, or empty to not keep them.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use over row bands (-1: as many as the runtime likes).</param>
    /// <returns>Area, sigmoid sum and box of the mask.</returns>
    MaskStatistics ResizeAndThreshold(ReadOnlyMemory<float> source, int sourceHeight, int sourceWidth, int height,
        int width, Memory<byte> binary, Memory<float> logits, int maxDegreeOfParallelism);
}
