using System.Diagnostics;
using PixelLM.Pixel;

namespace PixelLM.Cli.Bench;

/// <summary>
/// The vision stage of <c>pixellm bench</c>: the tower, the 2x2 pooling and the LLM projector on one 448x448
/// image with no padding (every patch visible), timed through <see cref="PixelContext.EncodeImage(ReadOnlySpan{float}, int, int)"/>;
/// one warm-up, then the median of the timed runs. The stage name carries the compute type
/// (<c>vision</c>, <c>vision-bf16</c>), matching the reference's stages of the same names.
/// </summary>
internal static class VisionBenchmark
{
    private const double MiB = 1024.0 * 1024.0;

    /// <summary>Measures the stage.</summary>
    internal static BenchResult Run(string pixelPath, int threads, int runs, VisionComputeType compute, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        double? baselineMb = ProcessMemory.ResidentMb();
        using PixelModel model = PixelModel.Load(pixelPath);
        using PixelContext context = model.CreateContext(threads, visionCompute: compute);
        PixelModelInfo info = model.Info;
        float[] pixels = Pixels(info.ImageSize);
        var times = new List<double>();
        for (int run = 0; run <= runs; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            context.EncodeImage(pixels, info.ImageSize, info.ImageSize);
            if (run > 0) // the first run warms up: pages in the mapped weights, faults in the scratch
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return new BenchResult(compute == VisionComputeType.BFloat16 ? "vision-bf16" : "vision",
            info.ImageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), threads, BenchStatistics.Median(times), runs)
        {
            BaselineRssMb = baselineMb,
            PeakRssMb = ProcessMemory.PeakResidentMb(),
            FileMb = new FileInfo(pixelPath).Length / MiB,
            Layers = info.VisionLayerCount,
            Gflop = Flops(info) / 1e9,
        };
    }

    /// <summary>
    /// Multiply-adds times two of what the engine computes: the patch embedding, the blocks up to the deeper
    /// selected layer (hs[-2]: one block fewer than the tower has) with full attention over every position,
    /// and mm_projector on the pooled tokens. Norms, activations, softmax and pooling are left out (under 1%).
    /// </summary>
    internal static double Flops(PixelModelInfo info)
    {
        double c = info.VisionWidth, positions = (info.PatchGrid * info.PatchGrid) + 1, patches = positions - 1;
        double ff = info.VisionMlpWidth;
        double perLayer = (2 * positions * ((4 * c * c) + (2 * c * ff))) + (4 * positions * positions * c);
        double embed = 2 * patches * 3 * info.PatchSize * info.PatchSize * c;
        double hidden = 2.0 * info.LanguageModelWidth; // the release's projector: hidden width 2D (spec §4.1)
        double projector = 2 * info.ImageTokenCount * ((c * hidden) + (hidden * info.LanguageModelWidth));
        return embed + ((info.VisionLayerCount - 1) * perLayer) + projector;
    }

    // Normalized-looking values in [-2, 2], deterministic: the tower's cost does not depend on them.
    private static float[] Pixels(int size)
    {
        var pixels = new float[3 * size * size];
        uint state = 12345;
        for (int i = 0; i < pixels.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            pixels[i] = ((state % 4001) / 1000f) - 2f;
        }
        return pixels;
    }
}
