using System.CommandLine;
using PixelLM.Cli.Bench;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm bench image --image PATH [--runs 5] [--json]</c>: decoding and CLIP preprocessing of one
/// image, each alone and together (single-threaded, as the reference's Pillow path is).
/// <c>tools/bench_image.sh</c> runs it beside the reference's Pillow pipeline and prints the ratios.
/// </summary>
internal static class BenchImageCommand
{
    /// <summary>Creates the subcommand, writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var image = new Option<string>("--image") { Description = "The JPEG or PNG file.", Required = true };
        var runs = new Option<int>("--runs") { Description = "Timed runs per stage, after one warm-up.", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of a table." };
        var command = new Command("image", "Decoding and preprocessing of one image (median of timed runs).") { image, runs, json };
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(
            Run(console, parseResult.GetRequiredValue(image), parseResult.GetValue(runs), parseResult.GetValue(json), cancellationToken)));
        return command;
    }

    internal static int Run(CliConsole console, string path, int runs, bool json, CancellationToken cancellationToken)
    {
        if (runs < 1)
        {
            console.Error.WriteLine($"error: --runs must be at least 1 (got {runs})");
            return PixelLmCli.ExitFailure;
        }
        if (!File.Exists(path))
        {
            console.Error.WriteLine($"error: {path}: no such file");
            return PixelLmCli.ExitFailure;
        }
        var results = new List<BenchResult>();
        foreach (BenchResult result in ImageBenchmark.Run(path, runs, cancellationToken))
        {
            results.Add(result);
            if (json)
            {
                console.Out.WriteLine(BenchReport.ToJsonLine(result));
                console.Out.Flush();
            }
        }
        if (!json)
            BenchReport.WriteTable(console.Rich, Path.GetFileName(path), results);
        return 0;
    }
}
