using PixelLM.BindingsGenerator;

namespace PixelLM.Tests.Interop;

/// <summary>The repository files the bindings tests read: the C header and the committed generated files.</summary>
internal static class InteropTestPaths
{
    public static string RepositoryRoot { get; } =
        RepositoryLayout.FindRoot(AppContext.BaseDirectory)
        ?? RepositoryLayout.FindRoot(Environment.CurrentDirectory)
        ?? throw new InvalidOperationException(
            $"Cannot find {RepositoryLayout.SolutionFileName} above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}.");

    public static string Header => Path.Combine(RepositoryRoot, RepositoryLayout.DefaultHeader);

    public static string GeneratedDirectory => Path.Combine(RepositoryRoot, RepositoryLayout.DefaultOutputDirectory);
}
