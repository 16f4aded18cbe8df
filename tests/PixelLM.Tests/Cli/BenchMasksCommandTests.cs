using System.Text.Json;
using NUnit.Framework;
using PixelLM.Cli;
using PixelLM.Cli.Bench;

namespace PixelLM.Tests.Cli;

/// <summary>
/// <c>pixellm bench masks</c>: options and the shape of its output on a small image. What the timings are is
/// not tested (design.md: performance lives in benchmarks).
/// </summary>
[TestFixture]
public sealed class BenchMasksCommandTests
{
    [Test]
    public void Json_OneLineWithTheSharedKeys()
    {
        (int exitCode, string output, string error) = Run("bench", "masks", "--count", "3", "--width", "50", "--height", "31",
            "--threads", "1", "--runs", "1", "--json");
        Assert.That(exitCode, Is.Zero, error);
        using JsonDocument document = JsonDocument.Parse(output.Trim());
        JsonElement root = document.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name).Take(5), Is.EqualTo(new[] { "stage", "shape", "threads", "median_ms", "runs" }));
        Assert.That((root.GetProperty("stage").GetString(), root.GetProperty("shape").GetString()), Is.EqualTo(("masks", "n3-50x31")));
        Assert.That(root.GetProperty("median_ms").GetDouble(), Is.GreaterThan(0));
    }

    [TestCase("--count", "0", "--count")]
    [TestCase("--runs", "0", "--runs")]
    [TestCase("--threads", "0", "--threads")]
    public void BadOption_ExitsOneNamingIt(string option, string value, string named)
    {
        (int exitCode, string output, string error) = Run("bench", "masks", option, value);
        Assert.That(exitCode, Is.EqualTo(PixelLmCli.ExitFailure));
        Assert.That(error, Does.StartWith("error: ").And.Contain(named));
        Assert.That(output, Is.Empty);
    }

    [TestCase(3000, 4000, 336, 448)]
    [TestCase(77, 123, 280, 448)]   // the fixtures' image (manifest.json: input_size)
    [TestCase(500, 301, 448, 270)]
    public void InputSize_IsTheLongestSideResizedTo448(int height, int width, int inputHeight, int inputWidth) =>
        Assert.That(new MaskBenchOptions { Height = height, Width = width }.InputSize, Is.EqualTo((inputHeight, inputWidth)));

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = PixelLmCli.Run(args, CliConsole.ForWriters(output, error));
        return (exitCode, output.ToString(), error.ToString());
    }
}
