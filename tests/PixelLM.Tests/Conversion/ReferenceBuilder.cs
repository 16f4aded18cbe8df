using System.Diagnostics;
using NUnit.Framework;
using PixelLM.Tests.Interop;

namespace PixelLM.Tests.Conversion;

/// <summary>Runs the PyTorch reference (tests/reference) with Debian's Python: the tiny checkpoints and the golden position table.</summary>
internal static class ReferenceBuilder
{
    private const string Python = "/usr/bin/python3";

    private static string ReferenceDirectory => Path.Combine(InteropTestPaths.RepositoryRoot, "tests", "reference");

    /// <summary>
    /// Builds the tiny preset into <paramref name="outDir"/> (<c>pixellm/</c> and <c>clip-vit/</c>) with
    /// extra builder arguments (<c>--format bin</c>, <c>--shards 2</c>, <c>--dtype bf16</c>).
    /// </summary>
    public static void BuildTiny(string outDir, params string[] arguments) =>
        RunModule("pixellm_ref.build", ["--preset", "tiny", "--out", outDir, .. arguments]);

    /// <summary>Writes the reference's stretched position table of <paramref name="clipDir"/> to a safetensors file.</summary>
    public static void DumpPositionTable(string clipDir, string outFile) =>
        RunModule("pixellm_ref.position_table", ["--clip", clipDir, "--out", outFile]);

    /// <summary>Writes the reference LLaMA's next-token logits after <paramref name="ids"/> (<c>logits</c> [V]) to a safetensors file.</summary>
    public static void DumpLogits(string modelDir, IEnumerable<int> ids, string outFile) =>
        RunModule("pixellm_ref.llm_logits", ["--model", modelDir, "--ids", string.Join(',', ids), "--out", outFile]);

    /// <summary>Runs a Python snippet (with torch importable) in the reference directory.</summary>
    public static void RunScript(string code) => Run(["-c", code]);

    private static void RunModule(string module, string[] arguments) => Run(["-m", module, .. arguments]);

    /// <summary>Ignores the calling fixture when Debian's Python with torch is not installed.</summary>
    public static void IgnoreIfUnavailable()
    {
        if (!File.Exists(Python))
            Assert.Ignore($"{Python} (with torch) is not installed; the conversion tests need the PyTorch reference.");
    }

    // Throws rather than asserting, so that it can run on worker threads (the builds run in parallel).
    private static void Run(string[] arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = ReferenceDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"python3 {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output.Result}\n{error}");
    }
}
