namespace PixelLM.Masks;

/// <summary>
/// The CPU implementation of <see cref="IMaskKernels"/>: vectorised (System.Runtime.Intrinsics, System.Numerics.Tensors)
/// and parallel over bands of output rows. Stateless and thread-safe; <see cref="Instance"/> is the one to use.
/// </summary>
public sealed class CpuMaskKernels : IMaskKernels
{
    // Output rows per parallel work item: enough to amortise the scheduling, small enough that 12 MP splits
    // into ~100 items for the load balancing.
    private const int BandRows = 32;

    private CpuMaskKernels()
    {
    }

    /// <summary>The shared instance.</summary>
    public static CpuMaskKernels Instance { get; } = new();

    /// <inheritdoc />
    public void FuseLevels(ReadOnlySpan<float> level0, int level0Side, ReadOnlySpan<float> level1, int level1Side,
        float level0Weight, float level1Weight, Span<float> fused)
    {
        MaskArguments.RequirePlane(level0, level0Side, level0Side, nameof(level0));
        MaskArguments.RequirePlane(level1, level1Side, level1Side, nameof(level1));
        MaskArguments.RequirePlane(fused, level1Side, level1Side, nameof(fused));
        // fused = w0·up(m0) + w1·m1, each product rounded (the reference: fused = 0 + s·up(m0); fused = fused + s·m1).
        ResizeStrided(level0, level0Side, level0Side, fused, level1Side, level1Side);
        // A plain loop, not TensorPrimitives.MultiplyAdd, which may fuse the product into the sum.
        for (int i = 0; i < fused.Length; i++)
            fused[i] = fused[i] * level0Weight + level1[i] * level1Weight;
    }

    /// <inheritdoc />
    public void Resize(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth, int targetHeight, int targetWidth,
        Span<float> destination, int rows, int columns)
    {
        MaskArguments.RequirePlane(source, sourceHeight, sourceWidth, nameof(source));
        MaskArguments.RequireWindow(targetHeight, targetWidth, rows, columns);
        MaskArguments.RequirePlane(destination, rows, columns, nameof(destination));
        BilinearAxis ys = BilinearAxis.Create(sourceHeight, targetHeight, rows);
        BilinearAxis xs = BilinearAxis.Create(sourceWidth, targetWidth, columns);
        for (int y = 0; y < rows; y++)
        {
            ReadOnlySpan<float> top = source.Slice(ys.Index0[y] * sourceWidth, sourceWidth);
            ReadOnlySpan<float> bottom = source.Slice(ys.Index1[y] * sourceWidth, sourceWidth);
            float h0 = ys.Weight0[y], h1 = ys.Weight1[y];
            Span<float> output = destination.Slice(y * columns, columns);
            for (int x = 0; x < columns; x++)
            {
                int x0 = xs.Index0[x], x1 = xs.Index1[x];
                float w0 = xs.Weight0[x], w1 = xs.Weight1[x];
                // The products of f32 values are exact in double, so only the sum's order matters.
                output[x] = (float)((double)top[x0] * (h0 * w0) + (double)top[x1] * (h0 * w1)
                    + (double)bottom[x0] * (h1 * w0) + (double)bottom[x1] * (h1 * w1));
            }
        }
    }

    // bilinear(ac=F) with the rounding of PyTorch's kernel for a strided input (IMaskKernels.FuseLevels).
    private static void ResizeStrided(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth, Span<float> destination,
        int height, int width)
    {
        BilinearAxis ys = BilinearAxis.Create(sourceHeight, height, height);
        BilinearAxis xs = BilinearAxis.Create(sourceWidth, width, width);
        var top = new float[width];
        var bottom = new float[width];
        for (int y = 0; y < height; y++)
        {
            MaskRowKernels.ResizeRow(source.Slice(ys.Index0[y] * sourceWidth, sourceWidth), xs, top);
            MaskRowKernels.ResizeRow(source.Slice(ys.Index1[y] * sourceWidth, sourceWidth), xs, bottom);
            Span<float> output = destination.Slice(y * width, width);
            for (int x = 0; x < width; x++)
                output[x] = MathF.FusedMultiplyAdd(top[x], ys.Weight0[y], bottom[x] * ys.Weight1[y]);
        }
    }

    /// <inheritdoc />
    public MaskStatistics ResizeAndThreshold(ReadOnlyMemory<float> source, int sourceHeight, int sourceWidth, int height,
        int width, Memory<byte> binary, Memory<float> logits, int maxDegreeOfParallelism)
    {
        MaskArguments.RequirePlane(source.Span, sourceHeight, sourceWidth, nameof(source));
        MaskArguments.RequirePlane(binary.Span, height, width, nameof(binary));
        if (!logits.IsEmpty)
            MaskArguments.RequirePlane(logits.Span, height, width, nameof(logits));
        BilinearAxis ys = BilinearAxis.Create(sourceHeight, height, height);
        BilinearAxis xs = BilinearAxis.Create(sourceWidth, width, width);
        int bands = (height + BandRows - 1) / BandRows;
        var results = new BandStatistics[bands];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, bands, options,
            () => new SourceRowCache(width),
            (band, _, cache) =>
            {
                var statistics = new BandStatistics();
                int end = Math.Min(height, (band + 1) * BandRows);
                ReadOnlySpan<float> plane = source.Span;
                Span<byte> mask = binary.Span;
                Span<float> kept = logits.Span;
                for (int y = band * BandRows; y < end; y++)
                {
                    int a0 = ys.Index0[y], a1 = ys.Index1[y];
                    ReadOnlySpan<float> top = cache.Row(plane, sourceWidth, xs, a0, keep: a1);
                    ReadOnlySpan<float> bottom = cache.Row(plane, sourceWidth, xs, a1, keep: a0);
                    Span<float> row = kept.IsEmpty ? cache.Output : kept.Slice(y * width, width);
                    MaskRowKernels.BlendThresholdRow(top, bottom, ys.Weight0[y], ys.Weight1[y], row,
                        mask.Slice(y * width, width), cache.Sigmoid, y, ref statistics);
                }
                results[band] = statistics;
                return cache;
            },
            _ => { });
        var total = new BandStatistics();
        foreach (BandStatistics band in results)
            total.Add(band);
        return total.ToStatistics();
    }

    /// <summary>
    /// Source rows resized to the output width, the two most recent kept: consecutive output rows mostly
    /// share their two source rows, so each is resized about once per band.
    /// </summary>
    private sealed class SourceRowCache(int width)
    {
        private readonly float[][] _rows = [new float[width], new float[width]];
        private readonly int[] _tags = [-1, -1];

        /// <summary>A scratch row for logits that are not kept.</summary>
        public float[] Output { get; } = new float[width];

        /// <summary>A scratch row for the sigmoids of the score.</summary>
        public float[] Sigmoid { get; } = new float[width];

        /// <summary>Source row <paramref name="index"/> resized; never evicts row <paramref name="keep"/>.</summary>
        public ReadOnlySpan<float> Row(ReadOnlySpan<float> plane, int sourceWidth, BilinearAxis xs, int index, int keep)
        {
            for (int slot = 0; slot < 2; slot++)
            {
                if (_tags[slot] == index)
                    return _rows[slot];
            }
            int victim = _tags[0] == keep ? 1 : 0;
            MaskRowKernels.ResizeRow(plane.Slice(index * sourceWidth, sourceWidth), xs, _rows[victim]);
            _tags[victim] = index;
            return _rows[victim];
        }
    }
}
