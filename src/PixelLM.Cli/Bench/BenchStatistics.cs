namespace PixelLM.Cli.Bench;

/// <summary>Summaries of repeated timings.</summary>
internal static class BenchStatistics
{
    /// <summary>The median (the mean of the two middle values for an even count); robust to one slow run.</summary>
    internal static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            throw new ArgumentException("No values.", nameof(values));
        double[] sorted = [.. values];
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
