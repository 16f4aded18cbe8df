using System.Diagnostics;

namespace PixelLM.Segmentation;

/// <summary>The stages of an answer that <see cref="SegmentationTimings"/> reports.</summary>
internal enum Stage
{
    Preprocess,
    Vision,
    Prefill,
    Generation,
    PixelDecoder,
    Postprocess,
}

/// <summary>Adds up the wall time spent in each stage of one answer.</summary>
internal sealed class StageClock
{
    private readonly long[] _ticks = new long[Enum.GetValues<Stage>().Length];

    public T Time<T>(Stage stage, Func<T> work)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            _ticks[(int)stage] += Stopwatch.GetTimestamp() - start;
        }
    }

    public void Time(Stage stage, Action work) => Time(stage, () => { work(); return 0; });

    public TimeSpan this[Stage stage] => Stopwatch.GetElapsedTime(0, _ticks[(int)stage]);

    public SegmentationTimings ToTimings(int generatedTokens, bool featureCacheHit) => new(
        this[Stage.Preprocess], this[Stage.Vision], this[Stage.Prefill], this[Stage.Generation],
        this[Stage.PixelDecoder], this[Stage.Postprocess], generatedTokens, featureCacheHit);
}
