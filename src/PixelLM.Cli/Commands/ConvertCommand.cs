using System.CommandLine;
using System.Globalization;
using PixelLM.Conversion;
using PixelLM.Gguf;
using Spectre.Console;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm convert --checkpoint DIR [--clip DIR] --out DIR [--type f32|f16|q8_0|q4_0] [--vision-type f32|f16]</c>:
/// turns a Hugging Face PixelLM checkpoint and its CLIP tower into <c>OUT/llm.gguf</c> and <c>OUT/pixel.gguf</c>.
/// </summary>
/// <remarks>
/// A progress bar is shown only when standard output is a terminal; piped output gets the summary alone.
/// Type fallbacks are reported on standard error as <c>note: …</c> lines.
/// </remarks>
internal static class ConvertCommand
{
    private static readonly Dictionary<string, GgufTensorType> LlmTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["f32"] = GgufTensorType.F32, ["f16"] = GgufTensorType.F16, ["q8_0"] = GgufTensorType.Q8_0, ["q4_0"] = GgufTensorType.Q4_0,
    };

    /// <summary>Creates the command, writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "The Hugging Face PixelLM checkpoint directory (config.json, tokenizer.model, added_tokens.json, weights).",
            Required = true,
        };
        var clip = new Option<string?>("--clip")
        {
            Description = "The CLIP checkpoint directory (default: the config's mm_vision_tower next to the checkpoint).",
        };
        var output = new Option<string>("--out")
        {
            Description = "The output directory; receives llm.gguf and pixel.gguf.",
            Required = true,
        };
        var type = new Option<string>("--type")
        {
            Description = "Type of the LLM's matrices.",
            DefaultValueFactory = _ => "f16",
        };
        type.AcceptOnlyFromAmong("f32", "f16", "q8_0", "q4_0");
        var visionType = new Option<string>("--vision-type")
        {
            Description = "Type of the vision tower's, projectors' and mask head's matrices.",
            DefaultValueFactory = _ => "f16",
        };
        visionType.AcceptOnlyFromAmong("f32", "f16");

        var command = new Command("convert", "Convert a Hugging Face PixelLM checkpoint and its CLIP tower to the GGUF pair (llm.gguf, pixel.gguf).")
        {
            checkpoint,
            clip,
            output,
            type,
            visionType,
        };
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(
            console,
            new ConversionOptions
            {
                CheckpointDirectory = parseResult.GetRequiredValue(checkpoint),
                ClipDirectory = parseResult.GetValue(clip),
                OutputDirectory = parseResult.GetRequiredValue(output),
                LlmType = LlmTypes[parseResult.GetRequiredValue(type)],
                VisionType = LlmTypes[parseResult.GetRequiredValue(visionType)],
            },
            cancellationToken)));
        return command;
    }

    /// <summary>Runs the conversion; returns the exit code.</summary>
    internal static int Run(CliConsole console, ConversionOptions options, CancellationToken cancellationToken)
    {
        ConversionResult result;
        if (console.Rich.Profile.Capabilities.Interactive)
        {
            result = console.Rich.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask("converting", maxValue: 1);
                    return CheckpointConverter.Convert(options, new Reporter(report =>
                    {
                        task.MaxValue = Math.Max(report.TotalBytes, 1);
                        task.Value = report.BytesWritten;
                        task.Description = $"{report.FileName} {Markup.Escape(report.TensorName)}";
                        if (report.Note is not null)
                            console.Error.WriteLine($"note: {report.Note}");
                    }), cancellationToken);
                });
        }
        else
        {
            result = CheckpointConverter.Convert(options, new Reporter(report =>
            {
                if (report.Note is not null)
                    console.Error.WriteLine($"note: {report.Note}");
            }), cancellationToken);
        }

        WriteSummary(console.Rich, result);
        return 0;
    }

    private static void WriteSummary(IAnsiConsole console, ConversionResult result)
    {
        var table = new Table()
            .AddColumn("File")
            .AddColumn("Tensors")
            .AddColumn("Matrices")
            .AddColumn(new TableColumn("Size").RightAligned());
        table.AddRow(new Text(result.LlmPath), new Text(Number(result.LlmTensors)), new Text(result.LlmType.ToString()), new Text(Size(result.LlmBytes)));
        table.AddRow(new Text(result.PixelPath), new Text(Number(result.PixelTensors)), new Text(result.VisionType.ToString()), new Text(Size(result.PixelBytes)));
        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"converted in {result.Elapsed.TotalSeconds:0.0} s"));
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes >= 1 << 20
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.0} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} B");

    // Reports synchronously on the converting thread: Progress<T> would post to the thread pool and
    // could print after the summary.
    private sealed class Reporter(Action<ConversionProgress> report) : IProgress<ConversionProgress>
    {
        public void Report(ConversionProgress value) => report(value);
    }
}
