using System.Text.Json;
using NUnit.Framework;
using PixelLM.Cli;
using PixelLM.Evaluation;
using PixelLM.Masks;
using PixelLM.Tests.Parity;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Cli;

/// <summary>
/// <c>pixellm segment</c>, <c>pixellm eval</c> and <c>pixellm bench segment</c> on the converted tiny pair:
/// what they write and how they fail. The tiny model's weights are random, so its answers are not checked.
/// </summary>
[TestFixture]
public sealed class SegmentCommandTests
{
    private static string Model => TestData.Require("gguf", "tiny-f32");

    [Test]
    public void Segment_WritesTheOverlayAndAResultThatMatchesStdout()
    {
        using var temp = new TempDirectory();
        string image = TestData.Require("images", "grey_123x77.png");
        (int exitCode, string stdout, string error) = Run("segment", "--model", Model, "--image", image,
            "--prompt", "Which shapes are orange?", "--max-new-tokens", "6", "--out", temp.Path, "--json");
        Assert.That(exitCode, Is.Zero, error);
        using JsonDocument printed = JsonDocument.Parse(stdout);
        using JsonDocument written = JsonDocument.Parse(File.ReadAllText(temp.File("result.json")));
        Assert.That(printed.RootElement.GetProperty("token_ids").GetArrayLength(), Is.EqualTo(6));
        Assert.That(written.RootElement.GetProperty("text").GetString(), Is.EqualTo(printed.RootElement.GetProperty("text").GetString()));
        Assert.That(written.RootElement.GetProperty("width").GetInt32(), Is.EqualTo(123));
        Assert.That(File.Exists(temp.File("overlay.png")), Is.True);
        Assert.That(printed.RootElement.GetProperty("timings_ms").GetProperty("vision").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public void Segment_ExplainsBadArguments()
    {
        string image = TestData.Require("images", "grey_123x77.png");
        Assert.That(Run("segment", "--model", Model, "--image", image, "--prompt", " ").Error, Does.Contain("--prompt is empty"));
        Assert.That(Run("segment", "--image", image, "--prompt", "x").Error, Does.Contain("--model DIR"));
        Assert.That(Run("segment", "--model", Model, "--llm", "a", "--image", image, "--prompt", "x").Error, Does.Contain("not both"));
        (int code, _, string error) = Run("segment", "--model", "/nonexistent", "--image", image, "--prompt", "x");
        Assert.That(code, Is.EqualTo(PixelLmCli.ExitFailure));
        Assert.That(error, Does.StartWith("error:"));
    }

    [Test]
    public void Eval_ScoresAnExportedSetWithTheReferenceKeys()
    {
        using var temp = new TempDirectory();
        string set = temp.File("set");
        Directory.CreateDirectory(Path.Combine(set, "images"));
        Directory.CreateDirectory(Path.Combine(set, "masks"));
        File.Copy(TestData.Require("images", "grey_123x77.png"), Path.Combine(set, "images", "0.png"));
        var mask = new byte[123 * 77];
        mask[5] = 1;
        File.WriteAllBytes(Path.Combine(set, "masks", "0_0.png"), MaskPng.Encode(mask, 123, 77));
        File.WriteAllText(Path.Combine(set, "items.json"), $$"""
            {"format": "{{EvaluationSet.Format}}", "items": [
              {"index": 0, "image": "images/0.png", "kind": "refer", "question": "Segment the box.",
               "answer": "Sure, the box [SEG0][SEG1][SEG2][SEG3][SEG4][SEG5].", "targets": [{"name": "box", "mask": "masks/0_0.png"}]},
              {"index": 1, "image": "images/0.png", "kind": "absent", "question": "Is there a cat?",
               "answer": "There is no cat.", "targets": []}]}
            """);
        (int exitCode, string stdout, string error) = Run("eval", "--model", Model, "--data", set, "--json", "--max-new-tokens", "4");
        Assert.That(exitCode, Is.Zero, error);
        using JsonDocument table = JsonDocument.Parse(stdout);
        foreach (string key in new[] { "gIoU_single", "cIoU_single", "gIoU_multi", "cIoU_multi", "exact_match", "n" })
            Assert.That(table.RootElement.TryGetProperty(key, out _), Is.True, key);
        Assert.That(table.RootElement.GetProperty("n").GetInt32(), Is.EqualTo(2));
        Assert.That(table.RootElement.GetProperty("n_single").GetInt32(), Is.EqualTo(1));
        Assert.That(Run("eval", "--model", Model, "--data", temp.Path).Error, Does.Contain("no items.json"));
    }

    [Test]
    public void BenchSegment_PrintsEveryStageThenTheTotal()
    {
        string image = TestData.Require("images", "grey_123x77.png");
        (int exitCode, string stdout, string error) = Run("bench", "segment", "--model", Model, "--image", image, "--threads", "1",
            "--runs", "1", "--gen", "2", "--json");
        Assert.That(exitCode, Is.Zero, error);
        string[] stages = [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("stage").GetString()!)];
        Assert.That(stages, Is.EqualTo(new[] { "decode", "preprocess", "vision", "prefill", "generation", "pixel-decoder", "postprocess", "total" }));
    }

    [Test]
    public void Chat_AnswersEachLineAndKeepsTheConversation()
    {
        string image = TestData.Require("images", "grey_123x77.png");
        var output = new StringWriter();
        var error = new StringWriter();
        var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("What is this?\n/reset\nWhat is this?\n\nnot read\n"));
        int exitCode = PixelLmCli.Run(["chat", "--model", Model, "--image", image, "--max-new-tokens", "3"],
            CliConsole.ForWriters(output, error, input: input));
        Assert.That(exitCode, Is.Zero, error.ToString());
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3), output.ToString());
        Assert.That(lines[1], Is.EqualTo("(conversation reset)"));
        Assert.That(lines[2], Is.EqualTo(lines[0]), "after a reset the same question gets the same greedy answer");
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = PixelLmCli.Run(args, CliConsole.ForWriters(output, error));
        return (exitCode, output.ToString(), error.ToString());
    }
}
