using System.CommandLine;
using PixelLM.Cli.Bench;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm bench SUBJECT …</c>: performance measurements, kept out of the tests on purpose (design.md,
/// "Testing"). One subcommand per part of the model, each printing the same result keys (stage, shape,
/// threads, median_ms, runs) as the reference's <c>pixellm_ref.bench</c>: <c>llm</c>, <c>vision</c>, <c>masks</c>,
/// <c>image</c> and <c>segment</c>.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Creates the command with its subcommands, writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var command = new Command("bench", "Measure the engine's speed and memory (median of timed runs after a warm-up).");
        command.Subcommands.Add(BenchLlmCommand.Create(console));
        command.Subcommands.Add(BenchImageCommand.Create(console));
        command.Subcommands.Add(BenchMasksCommand.Create(console));
        command.Subcommands.Add(BenchVisionCommand.Create(console));
        command.Subcommands.Add(BenchSegmentCommand.Create(console));
        return command;
    }
}
