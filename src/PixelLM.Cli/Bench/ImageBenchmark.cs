using System.Diagnostics;
using PixelLM.Imaging;

namespace PixelLM.Cli.Bench;

/// <summary>
/// The image stages of <c>pixellm bench</c>, timed through the public C# API: decoding a file's bytes
/// (already in memory), the CLIP preprocessing of the decoded image, and both together (what a request
/// pays before the vision tower). One warm-up, then the median of the runs. The stages and shapes match
/// the reference's <c>pixellm_ref.bench_image</c> so the two pair up.
/// </summary>
internal static class ImageBenchmark
{
    /// <summary>Runs the three stages on <paramref name="path"/>.</summary>
    internal static IEnumerable<BenchResult> Run(string path, int runs, CancellationToken cancellationToken)
    {
        byte[] data = File.ReadAllBytes(path);
        string shape;
        using (PixelImage probe = PixelImage.Load(data))
            shape = $"{probe.Width}x{probe.Height}";
        ImagePreprocessor preprocessor = ImagePreprocessor.Default;

        yield return Measure("image-decode", shape, runs, cancellationToken, () => PixelImage.Load(data).Dispose());
        using (PixelImage decoded = PixelImage.Load(data))
            yield return Measure("image-preprocess", shape, runs, cancellationToken, () => preprocessor.Preprocess(decoded));
        yield return Measure("image-decode-preprocess", shape, runs, cancellationToken, () =>
        {
            using PixelImage image = PixelImage.Load(data);
            preprocessor.Preprocess(image);
        });
    }

    private static BenchResult Measure(string stage, string shape, int runs, CancellationToken cancellationToken, Action run)
    {
        run();
        var times = new List<double>(runs);
        for (int i = 0; i < runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return new BenchResult(stage, shape, 1, BenchStatistics.Median(times), runs) { PeakRssMb = ProcessMemory.PeakResidentMb() };
    }
}
