using System.CommandLine;
using PixelLM.Cli.Commands;

namespace PixelLM.Cli;

/// <summary>
/// Builds the <c>pixellm</c> command tree and runs it. Each command lives in its own file under
/// <c>Commands/</c> and is only wired here; expected failures (a missing or damaged file, a native
/// library that cannot be loaded) become one <c>error: …</c> line on standard error and exit code 1,
/// never a stack trace.
/// </summary>
internal static class PixelLmCli
{
    /// <summary>Exit code of a command that failed for an expected reason.</summary>
    internal const int ExitFailure = 1;

    /// <summary>Exit code of a cancelled command (128 + SIGINT, as shells report it).</summary>
    internal const int ExitCanceled = 130;

    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns the exit code.</summary>
    internal static int Run(string[] args, CliConsole console)
    {
        RootCommand root = CreateRootCommand(console);
        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            // Expected errors are reported below; anything else is a bug and should show its stack trace.
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return root.Parse(args).Invoke(invocation);
        }
        catch (PixelLmException e)
        {
            return Fail(console, e.Message);
        }
        catch (PixelLmNativeLibraryException e)
        {
            return Fail(console, e.Message);
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine("error: cancelled");
            return ExitCanceled;
        }
    }

    /// <summary>The root command with every subcommand attached.</summary>
    internal static RootCommand CreateRootCommand(CliConsole console)
    {
        var root = new RootCommand("PixelLM: pixel-reasoning multimodal models on the CPU, and the tools for their GGUF files.");
        root.Subcommands.Add(SegmentCommand.Create(console));
        root.Subcommands.Add(ChatCommand.Create(console));
        root.Subcommands.Add(EvalCommand.Create(console));
        root.Subcommands.Add(InfoCommand.Create(console));
        root.Subcommands.Add(LogitsCommand.Create(console));
        root.Subcommands.Add(GenerateCommand.Create(console));
        root.Subcommands.Add(ConvertCommand.Create(console));
        root.Subcommands.Add(TokenizeCommand.Create(console));
        root.Subcommands.Add(PreprocessCommand.Create(console));
        root.Subcommands.Add(BenchCommand.Create(console));
        return root;
    }

    private static int Fail(CliConsole console, string message)
    {
        console.Error.WriteLine($"error: {message}");
        return ExitFailure;
    }
}
