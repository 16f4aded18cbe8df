namespace PixelLM.Cli.Bench;

/// <summary>The process's peak resident set, the figure the weights-are-mmapped-not-copied target is about.</summary>
internal static class ProcessMemory
{
    /// <summary>
    /// VmHWM from /proc/self/status in MiB: the high-water mark of the resident set, which counts touched
    /// pages of the memory-mapped model file as well as the KV cache and scratch. Null where /proc is absent
    /// (Windows); the managed figure would miss the native allocations, so none is given instead.
    /// </summary>
    internal static double? PeakResidentMb() => StatusFieldMb("VmHWM:");

    /// <summary>VmRSS in MiB: the resident set now (the runtime's own baseline, before a model is loaded).</summary>
    internal static double? ResidentMb() => StatusFieldMb("VmRSS:");

    private static double? StatusFieldMb(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
            return null;
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal))
                continue;
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && long.TryParse(parts[1], out long kib) ? kib / 1024.0 : null;
        }
        return null;
    }
}
