namespace PixelLM.Cli.Bench;

/// <summary>
/// One measured stage. The first five fields are the keys every benchmark in the project prints (the
/// engine's <c>pixellm bench</c> and the reference's <c>pixellm_ref.bench</c>), so that
/// <c>tests/reference/compare_bench.py</c> can pair them by (stage, shape) and divide.
/// </summary>
/// <param name="Stage">What ran, e.g. <c>llm-prefill</c>, <c>llm-decode</c>, <c>llm-batched</c>.</param>
/// <param name="Shape">The workload, e.g. <c>pp512</c>, <c>tg128</c>, <c>s16xtg32</c>.</param>
/// <param name="Threads">Threads used.</param>
/// <param name="MedianMs">Median wall time of one run of the whole stage, in milliseconds.</param>
/// <param name="Runs">Timed runs (the warm-up is not counted).</param>
internal sealed record BenchResult(string Stage, string Shape, int Threads, double MedianMs, int Runs)
{
    /// <summary>Tokens one run processes (all sequences together); 0 where tokens do not apply.</summary>
    public int Tokens { get; init; }

    /// <summary>Tokens per second at the median run; null where tokens do not apply.</summary>
    public double? TokensPerSecond => Tokens > 0 && MedianMs > 0 ? Tokens * 1000.0 / MedianMs : null;

    /// <summary>Peak resident set of the process (VmHWM) after the stage, in MiB; null if unknown.</summary>
    public double? PeakRssMb { get; init; }

    /// <summary>
    /// Resident set before the model was loaded, in MiB (the .NET runtime and the native library): the part of
    /// <see cref="PeakRssMb"/> that is not the model's.
    /// </summary>
    public double? BaselineRssMb { get; init; }

    /// <summary>Size of the model file, in MiB.</summary>
    public double? FileMb { get; init; }

    /// <summary>Size of the stage's KV cache, in MiB.</summary>
    public double? KvCacheMb { get; init; }

    /// <summary>Decoder layers of the model (to turn a shortened model's figures into per-layer ones).</summary>
    public int? Layers { get; init; }

    /// <summary>Concurrent sequences (batched decoding).</summary>
    public int? Sequences { get; init; }

    /// <summary>Floating-point operations of one run, in units of 10^9 (compute-bound stages such as vision).</summary>
    public double? Gflop { get; init; }

    /// <summary>Achieved GFLOP/s at the median run; null where no operation count applies.</summary>
    public double? GflopPerSecond => Gflop is double g && MedianMs > 0 ? g * 1000.0 / MedianMs : null;
}
