using System.CommandLine;
using System.Globalization;
using PixelLM.Cli.Bench;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm bench llm --model LLM.gguf [--threads N] [--pp 512] [--tg 128] [--runs 5] [--sequences 1,4,16]
/// [--batch-steps 32] [--json]</c>: prompt processing, generation and batched decoding of a language model,
/// in tokens per second, with the peak resident set against the file and KV-cache sizes.
/// </summary>
internal static class BenchLlmCommand
{
    /// <summary>Creates the subcommand, writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var model = new Option<string>("--model") { Description = "The language model's GGUF file (llm.gguf).", Required = true };
        var threads = new Option<int>("--threads")
        {
            Description = "Threads (default: the logical processors of this process).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var pp = new Option<int>("--pp") { Description = "Prompt tokens processed in one batch (0: skip).", DefaultValueFactory = _ => 512 };
        var tg = new Option<int>("--tg") { Description = "Tokens generated one by one (0: skip).", DefaultValueFactory = _ => 128 };
        var runs = new Option<int>("--runs") { Description = "Timed runs per stage, after one warm-up.", DefaultValueFactory = _ => 5 };
        var sequences = new Option<string>("--sequences")
        {
            Description = "Comma-separated concurrent sequence counts for batched decoding (empty: skip).",
            DefaultValueFactory = _ => "1,4,16",
        };
        var batchSteps = new Option<int>("--batch-steps")
        {
            Description = "Decode steps of batched decoding (each sequence gains one token per step).",
            DefaultValueFactory = _ => 32,
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of a table." };
        var command = new Command("llm", "Prompt processing (pp), generation (tg) and batched decoding of a language model.")
        {
            model, threads, pp, tg, runs, sequences, batchSteps, json,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            if (!TryParseCounts(parseResult.GetValue(sequences) ?? "", out int[] counts))
            {
                console.Error.WriteLine($"error: --sequences must be comma-separated positive integers (got '{parseResult.GetValue(sequences)}')");
                return Task.FromResult(PixelLmCli.ExitFailure);
            }
            var options = new LlmBenchOptions
            {
                ModelPath = parseResult.GetRequiredValue(model),
                Threads = parseResult.GetValue(threads),
                Prefill = parseResult.GetValue(pp),
                Generate = parseResult.GetValue(tg),
                Runs = parseResult.GetValue(runs),
                Sequences = counts,
                BatchSteps = parseResult.GetValue(batchSteps),
            };
            return Task.FromResult(Run(console, options, parseResult.GetValue(json), cancellationToken));
        });
        return command;
    }

    /// <summary>Parses "1,4,16" (empty: no counts); false on anything else.</summary>
    internal static bool TryParseCounts(string text, out int[] counts)
    {
        var parsed = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
            {
                counts = [];
                return false;
            }
            parsed.Add(value);
        }
        counts = [.. parsed];
        return true;
    }

    /// <summary>Runs the benchmark; returns the exit code.</summary>
    internal static int Run(CliConsole console, LlmBenchOptions options, bool json, CancellationToken cancellationToken)
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
        if (!File.Exists(options.ModelPath))
        {
            console.Error.WriteLine($"error: {options.ModelPath}: no such file");
            return PixelLmCli.ExitFailure;
        }
        var results = new List<BenchResult>();
        foreach (BenchResult result in LlmBenchmark.Run(options, cancellationToken))
        {
            results.Add(result);
            // JSON goes out as each stage finishes, so a long run shows progress and a killed one keeps its lines.
            if (json)
            {
                console.Out.WriteLine(BenchReport.ToJsonLine(result));
                console.Out.Flush();
            }
        }
        if (!json)
            BenchReport.WriteTable(console.Rich, $"{Path.GetFileName(options.ModelPath)}, {options.Threads} threads", results);
        return 0;
    }
}
