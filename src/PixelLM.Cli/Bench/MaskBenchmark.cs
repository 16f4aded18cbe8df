using System.Diagnostics;
using PixelLM.Masks;

namespace PixelLM.Cli.Bench;

/// <summary>
/// The mask stage of <c>pixellm bench</c>: <see cref="MaskPostprocessor.Process"/> on synthetic level-0
/// (64×64) and level-1 (128×128) logits for N targets, to binary masks with score, box and area at the
/// original size: everything the reference's post-processing (fusion, §9.1 resizes, threshold, score) does,
/// timed from the low-resolution logits to the finished masks. One warm-up, then the median of the runs.
/// </summary>
internal static class MaskBenchmark
{
    private const int Level0Side = 64, Level1Side = 128;

    internal static BenchResult Run(MaskBenchOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        float[] level0 = SyntheticMaskLogits.Create(options.Count, Level0Side);
        float[] level1 = SyntheticMaskLogits.Create(options.Count, Level1Side);
        (int inputHeight, int inputWidth) = options.InputSize;
        var geometry = new MaskGeometry(inputHeight, inputWidth, options.Height, options.Width);
        var processor = new MaskPostprocessor();
        var settings = new MaskPostprocessOptions { MaxDegreeOfParallelism = options.Threads };

        double RunOnce()
        {
            long start = Stopwatch.GetTimestamp();
            processor.Process(level0, Level0Side, level1, Level1Side, geometry, settings);
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        RunOnce();
        var times = new List<double>(options.Runs);
        for (int i = 0; i < options.Runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            times.Add(RunOnce());
        }
        return new BenchResult("masks", $"n{options.Count}-{options.Width}x{options.Height}", options.Threads,
            BenchStatistics.Median(times), options.Runs)
        {
            PeakRssMb = ProcessMemory.PeakResidentMb(),
        };
    }
}
