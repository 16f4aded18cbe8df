using System.CommandLine;
using PixelLM.Cli.Bench;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm bench segment --model DIR --image PATH [--gen 20] [--targets 1] [--threads N] [--runs 3] [--json]</c>:
/// end-to-end latency split by stage (see <see cref="SegmentBenchmark"/>), the keys the reference's
/// <c>pixellm_ref.bench_segment</c> prints, for per-stage ratios (<c>tools/bench_segment.sh</c>).
/// </summary>
internal static class BenchSegmentCommand
{
    internal static Command Create(CliConsole console)
    {
        var location = new ModelLocation();
        var image = new Option<string>("--image") { Description = "The image (JPEG or PNG).", Required = true };
        var question = new Option<string>("--question")
        {
            Description = "The question.", DefaultValueFactory = _ => "Which objects in this picture could hold water?",
        };
        var gen = new Option<int>("--gen") { Description = "Generated tokens.", DefaultValueFactory = _ => 20 };
        var targets = new Option<int>("--targets") { Description = "Objects for the pixel decoder.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var runs = new Option<int>("--runs") { Description = "Timed passes, after one warm-up.", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of a table." };
        var command = new Command("segment", "End-to-end latency split by stage (decode, preprocess, vision, prefill, generation, pixel decoder, post-processing).")
        {
            image, question, gen, targets, threads, runs, json,
        };
        location.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            (string Llm, string Pixel)? paths = location.Resolve(parse, out string? error);
            int genCount = parse.GetValue(gen), targetCount = parse.GetValue(targets), threadCount = parse.GetValue(threads), runCount = parse.GetValue(runs);
            if (paths is null || Math.Min(Math.Min(genCount, targetCount), Math.Min(threadCount, runCount)) < 1)
            {
                console.Error.WriteLine($"error: {error ?? "--gen, --targets, --threads and --runs must be at least 1"}");
                return Task.FromResult(PixelLmCli.ExitFailure);
            }
            IReadOnlyList<BenchResult> results = SegmentBenchmark.Run(paths.Value.Llm, paths.Value.Pixel, parse.GetRequiredValue(image),
                parse.GetRequiredValue(question), threadCount, genCount, targetCount, runCount, cancellationToken);
            if (parse.GetValue(json))
                foreach (BenchResult r in results)
                    console.Out.WriteLine(BenchReport.ToJsonLine(r));
            else
                BenchReport.WriteTable(console.Rich, $"segment, {threadCount} threads", results);
            return Task.FromResult(0);
        });
        return command;
    }
}
