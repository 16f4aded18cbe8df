using Spectre.Console;

namespace PixelLM.Cli;

/// <summary>
/// Where a command reads and writes: standard input as bytes (so a command can reject invalid UTF-8),
/// plain standard output and error for machine-readable output and messages, and a Spectre.Console
/// view of standard output for tables. Tests pass their own streams and writers.
/// </summary>
internal sealed class CliConsole
{
    // Wide enough that tables written to a pipe or file do not wrap at an arbitrary 80 columns.
    private const int RedirectedWidth = 160;

    private CliConsole(Stream input, TextWriter output, TextWriter error, IAnsiConsole rich, bool isTerminal = false)
    {
        IsTerminal = isTerminal;
        Input = input;
        Out = output;
        Error = error;
        Rich = rich;
    }

    /// <summary>Standard input, unbuffered and undecoded.</summary>
    internal Stream Input { get; }

    /// <summary>Standard output, for results (JSON and other machine-readable text go here unadorned).</summary>
    internal TextWriter Out { get; }

    /// <summary>True when standard output is a terminal (progress may be shown); false for a pipe or file.</summary>
    internal bool IsTerminal { get; }

    /// <summary>Standard error, for messages.</summary>
    internal TextWriter Error { get; }

    /// <summary>Standard output for tables and styled text; colourless unless it is a terminal.</summary>
    internal IAnsiConsole Rich { get; }

    /// <summary>The process's own console. ANSI sequences only when standard output is a terminal.</summary>
    internal static CliConsole ForProcess()
    {
        bool terminal = !Console.IsOutputRedirected;
        IAnsiConsole rich = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            // Spectre's own detection looks at TERM and can enable ANSI for a pipe; a pipe or file must
            // get plain text, so decide from the redirection first.
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
            rich.Profile.Width = RedirectedWidth;
        return new CliConsole(Console.OpenStandardInput(), Console.Out, Console.Error, rich, terminal);
    }

    /// <summary>A console over the given writers and input (empty if none): plain text, no ANSI, a fixed width (for tests).</summary>
    internal static CliConsole ForWriters(TextWriter output, TextWriter error, int width = RedirectedWidth, Stream? input = null)
    {
        IAnsiConsole rich = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        rich.Profile.Width = width;
        return new CliConsole(input ?? Stream.Null, output, error, rich);
    }
}
