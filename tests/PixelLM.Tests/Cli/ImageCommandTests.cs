using System.Text.Json;
using NUnit.Framework;
using PixelLM.Cli;
using PixelLM.Imaging;
using PixelLM.Tests.Imaging;
using PixelLM.Tests.Parity;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Cli;

/// <summary>
/// <c>pixellm preprocess</c> and <c>pixellm bench image</c>: what they write, on the reference's test
/// images. Timings are not tested (design.md: performance lives in benchmarks).
/// </summary>
[TestFixture]
public sealed class ImageCommandTests
{
    [Test]
    public void Preprocess_WritesTheFixtureTensorsAndBookkeeping()
    {
        string image = TestData.Require("images", "photo_exif6.jpg");
        using var temp = new TempDirectory();
        string output = temp.File("pre.safetensors");
        (int exitCode, string stdout, string error) = Run("preprocess", "--image", image, "--out", output);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(stdout, Does.Contain("480x640").And.Contain("EXIF orientation 6"));

        var written = RawSafetensors.Open(output);
        using PixelImage decoded = PixelImage.Load(image);
        PreprocessedImage expected = ImagePreprocessor.Default.Preprocess(decoded);
        var (rgb, rgbShape) = written.U8("image.rgb");
        Assert.That(rgbShape, Is.EqualTo(new long[] { 640, 480, 3 }));
        Assert.That(rgb, Is.EqualTo(decoded.ToRgb24Array()));
        Assert.That(written.U8("image.resized").Shape, Is.EqualTo(new long[] { 448, 336, 3 }));
        Assert.That(written.U8("mask.token").Bytes.Count(b => b == 1), Is.EqualTo(expected.TokenValid.Count(v => v)));
        Assert.That(written.Contains("image.pixels"), Is.True);
    }

    [Test]
    public void Preprocess_ReportsBadImagesOnOneLine()
    {
        using var temp = new TempDirectory();
        string image = temp.File("not-an-image.jpg");
        File.WriteAllText(image, "hello");
        (int exitCode, _, string error) = Run("preprocess", "--image", image, "--out", temp.File("x.safetensors"));
        Assert.That(exitCode, Is.EqualTo(PixelLmCli.ExitFailure));
        Assert.That(error.Trim(), Does.StartWith("error: ").And.Contain("supported formats are JPEG and PNG").And.Contain(image));
        Assert.That(File.Exists(temp.File("x.safetensors")), Is.False);
    }

    [Test]
    public void BenchImage_PrintsOneJsonLinePerStage()
    {
        string image = TestData.Require("images", "grey_123x77.png");
        (int exitCode, string output, string error) = Run("bench", "image", "--image", image, "--runs", "1", "--json");
        Assert.That(exitCode, Is.Zero, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var stages = new List<string>();
        foreach (string line in lines)
        {
            using JsonDocument document = JsonDocument.Parse(line);
            stages.Add(document.RootElement.GetProperty("stage").GetString()!);
            Assert.That(document.RootElement.GetProperty("shape").GetString(), Is.EqualTo("123x77"));
            Assert.That(document.RootElement.GetProperty("median_ms").GetDouble(), Is.GreaterThan(0));
        }
        Assert.That(stages, Is.EqualTo(new[] { "image-decode", "image-preprocess", "image-decode-preprocess" }));
        Assert.That(Run("bench", "image", "--image", image, "--runs", "0").ExitCode, Is.EqualTo(PixelLmCli.ExitFailure));
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = PixelLmCli.Run(args, CliConsole.ForWriters(output, error));
        return (exitCode, output.ToString(), error.ToString());
    }
}
