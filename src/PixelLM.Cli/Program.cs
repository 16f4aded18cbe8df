namespace PixelLM.Cli;

/// <summary>The entry point of <c>pixellm</c>.</summary>
internal static class Program
{
    private static int Main(string[] args) => PixelLmCli.Run(args, CliConsole.ForProcess());
}
