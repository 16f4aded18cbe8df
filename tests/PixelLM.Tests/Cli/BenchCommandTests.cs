using System.Text.Json;
using NUnit.Framework;
using PixelLM.Cli;
using PixelLM.Cli.Bench;
using PixelLM.Cli.Commands;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Cli;

/// <summary>
/// <c>pixellm bench llm</c>: argument handling and the shape of its output, on the tiny test LLaMA with
/// a handful of tokens. What the timings are is not tested (design.md: performance lives in benchmarks).
/// </summary>
[TestFixture]
public sealed class BenchCommandTests
{
    private static readonly string[] SharedKeys = ["stage", "shape", "threads", "median_ms", "runs"];
    private TempDirectory _temp = null!;
    private string _model = null!;

    [OneTimeSetUp]
    public void WriteModel()
    {
        _temp = new TempDirectory();
        _model = _temp.File("llm.gguf");
        TinyLlamaGguf.Write(_model);
    }

    [OneTimeTearDown]
    public void DeleteModel() => _temp.Dispose();

    [Test]
    public void Json_OneLinePerStage_WithTheSharedKeys()
    {
        (int exitCode, string output, string error) = Run("bench", "llm", "--model", _model, "--threads", "1",
            "--pp", "8", "--tg", "4", "--runs", "1", "--sequences", "1,2", "--batch-steps", "2", "--json");
        Assert.That(exitCode, Is.Zero, error);

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Length.EqualTo(4));
        var stages = new List<(string Stage, string Shape)>();
        foreach (string line in lines)
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            string[] keys = [.. root.EnumerateObject().Select(p => p.Name)];
            Assert.That(keys.Take(5), Is.EqualTo(SharedKeys), "the keys the reference's bench prints, in order");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(root.GetProperty("threads").GetInt32(), Is.EqualTo(1));
                Assert.That(root.GetProperty("runs").GetInt32(), Is.EqualTo(1));
                Assert.That(root.GetProperty("median_ms").GetDouble(), Is.GreaterThan(0));
                Assert.That(root.GetProperty("tokens_per_s").GetDouble(), Is.GreaterThan(0));
                Assert.That(root.GetProperty("file_mb").GetDouble(), Is.EqualTo(new FileInfo(_model).Length / 1048576.0).Within(1e-3));
                Assert.That(root.GetProperty("kv_cache_mb").GetDouble(), Is.GreaterThan(0));
                Assert.That(root.GetProperty("layers").GetInt32(), Is.EqualTo(2));
                if (OperatingSystem.IsLinux())
                    Assert.That(root.GetProperty("peak_rss_mb").GetDouble(), Is.GreaterThan(0));
            }
            stages.Add((root.GetProperty("stage").GetString()!, root.GetProperty("shape").GetString()!));
        }
        Assert.That(stages, Is.EqualTo(new[]
        {
            ("llm-prefill", "pp8"), ("llm-decode", "tg4"), ("llm-batched", "s1xtg2"), ("llm-batched", "s2xtg2"),
        }));
    }

    [Test]
    public void Table_ByDefault()
    {
        (int exitCode, string output, string error) = Run("bench", "llm", "--model", _model, "--threads", "1",
            "--pp", "4", "--tg", "2", "--runs", "1", "--sequences", "");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Does.Contain("llm-prefill").And.Contain("pp4").And.Contain("tg2").And.Contain("tokens/s"));
        Assert.That(output, Does.Not.Contain("llm-batched"), "an empty --sequences skips batched decoding");
        Assert.That(output, Does.Not.Contain("{"));
    }

    [TestCase("--sequences", "1,x", "--sequences")]
    [TestCase("--sequences", "0", "--sequences")]
    [TestCase("--runs", "0", "--runs")]
    [TestCase("--threads", "0", "--threads")]
    [TestCase("--pp", "-1", "--pp")]
    public void BadOption_ExitsOneNamingIt(string option, string value, string named)
    {
        (int exitCode, string output, string error) = Run("bench", "llm", "--model", _model, option, value);
        Assert.That(exitCode, Is.EqualTo(PixelLmCli.ExitFailure));
        Assert.That(error, Does.StartWith("error: ").And.Contain(named));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void MissingModel_ExitsOne()
    {
        (int exitCode, _, string error) = Run("bench", "llm", "--model", _temp.File("absent.gguf"));
        Assert.That(exitCode, Is.EqualTo(PixelLmCli.ExitFailure));
        Assert.That(error, Does.Contain("absent.gguf"));
    }

    [TestCase("1,4,16", new[] { 1, 4, 16 })]
    [TestCase(" 2 , 8 ", new[] { 2, 8 })]
    [TestCase("", new int[0])]
    public void TryParseCounts_Accepts(string text, int[] expected)
    {
        Assert.That(BenchLlmCommand.TryParseCounts(text, out int[] counts), Is.True);
        Assert.That(counts, Is.EqualTo(expected));
    }

    [Test]
    public void Median_OfOddAndEvenCounts()
    {
        Assert.That(BenchStatistics.Median([3.0, 1.0, 2.0]), Is.EqualTo(2.0));
        Assert.That(BenchStatistics.Median([4.0, 1.0, 2.0, 3.0]), Is.EqualTo(2.5));
    }

    [Test]
    public void Tokens_AreDeterministicAndInsideTheVocabulary()
    {
        var a = new BenchTokens(48);
        var b = new BenchTokens(48);
        int[] first = [.. Enumerable.Range(0, 1000).Select(_ => a.Next())];
        Assert.That(first, Is.EqualTo(Enumerable.Range(0, 1000).Select(_ => b.Next())));
        Assert.That(first, Is.All.InRange(3, 47));
        // The reference's and llama_cpp_bench's streams start the same way (xorshift32, seed 12345).
        Assert.That(new BenchTokens(32009).Next(), Is.EqualTo(3 + (int)(XorShift(12345) % 32006)));
    }

    private static uint XorShift(uint s)
    {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        return s;
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = PixelLmCli.Run(args, CliConsole.ForWriters(output, error));
        return (exitCode, output.ToString(), error.ToString());
    }
}
