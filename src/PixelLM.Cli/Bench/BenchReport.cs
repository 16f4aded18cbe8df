using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace PixelLM.Cli.Bench;

/// <summary>
/// Prints bench results: one JSON object per line (the keys the reference's bench prints too, so scripts
/// can pair them) or a table for people.
/// </summary>
internal static class BenchReport
{
    /// <summary>
    /// The result as one line of JSON: stage, shape, threads, median_ms, runs always; tokens, tokens_per_s,
    /// peak_rss_mb, file_mb, kv_cache_mb, layers, sequences, gflop, gflop_per_s where they apply.
    /// </summary>
    internal static string ToJsonLine(BenchResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("stage", result.Stage);
            json.WriteString("shape", result.Shape);
            json.WriteNumber("threads", result.Threads);
            json.WriteNumber("median_ms", Math.Round(result.MedianMs, 4));
            json.WriteNumber("runs", result.Runs);
            if (result.Tokens > 0)
                json.WriteNumber("tokens", result.Tokens);
            WriteOptional(json, "tokens_per_s", result.TokensPerSecond);
            WriteOptional(json, "peak_rss_mb", result.PeakRssMb);
            WriteOptional(json, "baseline_rss_mb", result.BaselineRssMb);
            WriteOptional(json, "file_mb", result.FileMb);
            WriteOptional(json, "kv_cache_mb", result.KvCacheMb);
            if (result.Layers is int layers)
                json.WriteNumber("layers", layers);
            if (result.Sequences is int sequences)
                json.WriteNumber("sequences", sequences);
            WriteOptional(json, "gflop", result.Gflop);
            WriteOptional(json, "gflop_per_s", result.GflopPerSecond);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The results as one table.</summary>
    internal static void WriteTable(IAnsiConsole console, string title, IEnumerable<BenchResult> results)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) };
        table.AddColumns("stage", "shape", "threads", "runs", "median ms", "tokens/s", "GFLOP/s", "peak RSS MiB", "file + KV MiB");
        foreach (BenchResult r in results)
        {
            table.AddRow(r.Stage, r.Shape, Number(r.Threads), Number(r.Runs), Number(r.MedianMs, "F2"),
                Number(r.TokensPerSecond, "F2"), Number(r.GflopPerSecond, "F1"), Number(r.PeakRssMb, "F0"),
                Number(r.FileMb + (r.KvCacheMb ?? 0), "F0"));
        }
        foreach (TableColumn column in table.Columns.Skip(2))
            column.RightAligned();
        console.Write(table);
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v)
            json.WriteNumber(name, Math.Round(v, 4));
    }

    private static string Number(double? value, string format = "F0") =>
        value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
