using NUnit.Framework;
using PixelLM.Cli;
using PixelLM.Gguf;

namespace PixelLM.Tests.Conversion;

/// <summary><c>pixellm convert</c>, run in-process with captured output.</summary>
[TestFixture]
public sealed class ConvertCommandTests
{
    [Test]
    public void Convert_WritesThePairAndASummary()
    {
        string outDir = TinyCheckpoints.NewOutput();
        (int exitCode, string output, string error) = Run(
            "convert", "--checkpoint", TinyCheckpoints.Safetensors, "--out", outDir, "--type", "q8_0", "--vision-type", "f32");

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Is.Empty);
        Assert.That(output, Does.Contain(Path.Combine(outDir, "llm.gguf")).And.Contain(Path.Combine(outDir, "pixel.gguf")));
        Assert.That(output, Does.Contain("Q8_0").And.Contain("F32").And.Contain("converted in"));
        using GgufFile llm = GgufFile.Open(Path.Combine(outDir, "llm.gguf"));
        Assert.That(llm.GetTensor("blk.0.attn_q.weight").Type, Is.EqualTo(GgufTensorType.Q8_0));
    }

    [Test]
    public void ExplicitClip_IsUsed()
    {
        string model = TinyCheckpoints.Copy(TinyCheckpoints.Safetensors);
        string clip = Path.Combine(Path.GetDirectoryName(model)!, "tower");
        Directory.Move(Path.Combine(Path.GetDirectoryName(model)!, "clip-vit"), clip);
        string outDir = TinyCheckpoints.NewOutput();

        (int exitCode, _, string error) = Run("convert", "--checkpoint", model, "--clip", clip, "--out", outDir);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(File.Exists(Path.Combine(outDir, "pixel.gguf")), Is.True);
    }

    [Test]
    public void BadCheckpoint_ExitsWithOneErrorLine()
    {
        string model = TinyCheckpoints.Copy(TinyCheckpoints.Safetensors);
        File.Delete(Path.Combine(model, "tokenizer.model"));
        string outDir = TinyCheckpoints.NewOutput();

        (int exitCode, _, string error) = Run("convert", "--checkpoint", model, "--out", outDir);

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("error: ").And.Contain("tokenizer.model"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(Directory.Exists(outDir), Is.False);
    }

    [Test]
    public void UnknownType_IsAUsageError()
    {
        (int exitCode, _, string error) = Run("convert", "--checkpoint", "x", "--out", "y", "--type", "q5_k");

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.Contain("q5_k"));
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = PixelLmCli.Run(args, CliConsole.ForWriters(output, error));
        return (exitCode, output.ToString(), error.ToString());
    }
}
