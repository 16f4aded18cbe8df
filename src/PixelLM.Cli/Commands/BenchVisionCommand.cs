using System.CommandLine;
using PixelLM.Cli.Bench;
using PixelLM.Pixel;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm bench vision --pixel PIXEL.gguf [--threads N] [--runs 5] [--compute f32|bf16] [--json]</c>: the
/// vision tower at its full input size, median time and GFLOP/s.
/// </summary>
internal static class BenchVisionCommand
{
    private static readonly Dictionary<string, VisionComputeType> ComputeTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["f32"] = VisionComputeType.Float32,
        ["bf16"] = VisionComputeType.BFloat16,
    };

    /// <summary>Creates the subcommand, writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var pixel = new Option<string>("--pixel") { Description = "The pixel file (pixel.gguf) holding the tower.", Required = true };
        var threads = new Option<int>("--threads")
        {
            Description = "Threads (default: the logical processors of this process).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var runs = new Option<int>("--runs") { Description = "Timed runs, after one warm-up.", DefaultValueFactory = _ => 5 };
        var compute = new Option<string>("--compute")
        {
            Description = "Arithmetic of the matrix products: f32, or bf16 (needs AVX512_BF16).",
            DefaultValueFactory = _ => "f32",
        };
        compute.AcceptOnlyFromAmong([.. ComputeTypes.Keys]);
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of a table." };
        var command = new Command("vision", "The vision tower, pooling and LLM projector on one image at the tower's input size.")
        {
            pixel, threads, runs, compute, json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            string path = parseResult.GetRequiredValue(pixel);
            int threadCount = parseResult.GetValue(threads), runCount = parseResult.GetValue(runs);
            if (threadCount < 1 || runCount < 1)
            {
                console.Error.WriteLine("error: --threads and --runs must be at least 1");
                return Task.FromResult(PixelLmCli.ExitFailure);
            }
            if (!File.Exists(path))
            {
                console.Error.WriteLine($"error: {path}: no such file");
                return Task.FromResult(PixelLmCli.ExitFailure);
            }
            BenchResult result = VisionBenchmark.Run(path, threadCount, runCount, ComputeTypes[parseResult.GetRequiredValue(compute)],
                cancellationToken);
            if (parseResult.GetValue(json))
                console.Out.WriteLine(BenchReport.ToJsonLine(result));
            else
                BenchReport.WriteTable(console.Rich, $"{Path.GetFileName(path)}, {threadCount} threads", [result]);
            return Task.FromResult(0);
        });
        return command;
    }
}
