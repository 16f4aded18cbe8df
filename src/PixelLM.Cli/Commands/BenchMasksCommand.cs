using System.CommandLine;
using PixelLM.Cli.Bench;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm bench masks [--count 8] [--width 4000] [--height 3000] [--threads N] [--runs 5] [--json]</c>: the
/// C# mask post-processing from low-resolution logits to finished masks, on synthetic logits; the reference's
/// side is <c>pixellm_ref.bench_masks</c>, both together <c>tools/bench_masks.py</c>.
/// </summary>
internal static class BenchMasksCommand
{
    /// <summary>Creates the subcommand, writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var count = new Option<int>("--count") { Description = "Masks per image.", DefaultValueFactory = _ => 8 };
        var width = new Option<int>("--width") { Description = "Original image width.", DefaultValueFactory = _ => 4000 };
        var height = new Option<int>("--height") { Description = "Original image height.", DefaultValueFactory = _ => 3000 };
        var threads = new Option<int>("--threads")
        {
            Description = "Threads (default: the logical processors of this process).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var runs = new Option<int>("--runs") { Description = "Timed runs, after one warm-up.", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of a table." };
        var command = new Command("masks", "Mask post-processing: fusion, resizes, threshold, score, box and area.")
        {
            count, width, height, threads, runs, json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new MaskBenchOptions
            {
                Count = parseResult.GetValue(count),
                Width = parseResult.GetValue(width),
                Height = parseResult.GetValue(height),
                Threads = parseResult.GetValue(threads),
                Runs = parseResult.GetValue(runs),
            };
            return Task.FromResult(Run(console, options, parseResult.GetValue(json), cancellationToken));
        });
        return command;
    }

    /// <summary>Runs the benchmark; returns the exit code.</summary>
    internal static int Run(CliConsole console, MaskBenchOptions options, bool json, CancellationToken cancellationToken)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return PixelLmCli.ExitFailure;
        }
        BenchResult result = MaskBenchmark.Run(options, cancellationToken);
        if (json)
            console.Out.WriteLine(BenchReport.ToJsonLine(result));
        else
            BenchReport.WriteTable(console.Rich, $"mask post-processing, {options.Threads} threads", [result]);
        return 0;
    }
}
