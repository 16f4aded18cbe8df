namespace PixelLM.Cli.Bench;

/// <summary>What <c>pixellm bench masks</c> measures: the workload is 8 masks on a 12-megapixel image.</summary>
internal sealed record MaskBenchOptions
{
    /// <summary>Masks (targets) per image.</summary>
    public int Count { get; init; } = 8;

    /// <summary>Original image width W.</summary>
    public int Width { get; init; } = 4000;

    /// <summary>Original image height H.</summary>
    public int Height { get; init; } = 3000;

    /// <summary>Threads (the reference gets the same number).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Timed runs, after one warm-up run.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>The (h', w') the model saw: the longest side resized to 448, rounded as the preprocessing does (spec §2.2).</summary>
    public (int Height, int Width) InputSize
    {
        get
        {
            double scale = 448.0 / Math.Max(Height, Width);
            return ((int)(Height * scale + 0.5), (int)(Width * scale + 0.5));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Count < 1 || Width < 1 || Height < 1)
            throw new ArgumentException($"--count, --width and --height must be at least 1 (got {Count}, {Width}, {Height})");
        if (Threads < 1)
            throw new ArgumentException($"--threads must be at least 1 (got {Threads})");
        if (Runs < 1)
            throw new ArgumentException($"--runs must be at least 1 (got {Runs})");
    }
}
