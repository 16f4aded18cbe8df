using System.Text.Json;
using NUnit.Framework;
using PixelLM.Imaging;
using PixelLM.Tests.Parity;

namespace PixelLM.Tests.Imaging;

/// <summary>
/// Decoding and resizing against the reference (spec §2.2, §15.2) on its photo-like image set
/// (<c>pixellm_ref.parity_images</c>: synthesised, since no photographs ship with the repository or
/// the machines): every colour type and bit depth of PNG, JPEG at three subsamplings, progressive and
/// grey, all eight EXIF orientations, and Pillow BILINEAR resizes up and down, thin and tiny.
/// Tolerance: none. Decoding uses the same libjpeg-turbo with the same settings as Pillow, and the
/// resampler reproduces Pillow's fixed-point arithmetic, so every byte must match.
/// </summary>
[TestFixture]
public sealed class ImageParityTests
{
    private static readonly Lazy<(JsonDocument Manifest, RawSafetensors Expected, string Directory)> ParitySet = new(() =>
    {
        string directory = TestData.Require("images", "parity");
        return (JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json"))),
            RawSafetensors.Open(Path.Combine(directory, "expected.safetensors")), directory);
    });

    private static IEnumerable<TestCaseData> Cases()
    {
        string manifest = Path.Combine(TestData.Root, "images", "parity", "manifest.json");
        if (!File.Exists(manifest))
        {
            yield return new TestCaseData("(missing test data)").SetName("ParitySetMissing");
            yield break;
        }
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(manifest));
        foreach (JsonElement entry in document.RootElement.GetProperty("cases").EnumerateArray())
            yield return new TestCaseData(entry.GetProperty("name").GetString()!);
    }

    [TestCaseSource(nameof(Cases))]
    public void DecodesAndResizesExactlyLikeTheReference(string name)
    {
        var (manifest, expected, directory) = ParitySet.Value;
        JsonElement entry = manifest.RootElement.GetProperty("cases").EnumerateArray()
            .First(e => e.GetProperty("name").GetString() == name);

        using PixelImage image = PixelImage.Load(Path.Combine(directory, entry.GetProperty("file").GetString()!));
        var (rgb, shape) = expected.U8($"{name}.rgb");
        Assert.That((image.Height, image.Width), Is.EqualTo(((int)shape[0], (int)shape[1])), "decoded size");
        AssertSameBytes(image.Pixels, rgb, image.Width, $"{name}: decoded pixels");

        // The resampler on its own, from the reference's decoded pixels.
        using PixelImage source = PixelImage.FromRgb24(rgb, image.Width, image.Height);
        var targets = new List<(int Width, int Height, string Key)>();
        if (entry.GetProperty("resized").ValueKind == JsonValueKind.Array)
        {
            JsonElement resized = entry.GetProperty("resized");
            targets.Add((resized[1].GetInt32(), resized[0].GetInt32(), $"{name}.resized"));
            PreprocessedImage pre = ImagePreprocessor.Default.Preprocess(source);
            Assert.That((pre.ResizedHeight, pre.ResizedWidth), Is.EqualTo((resized[0].GetInt32(), resized[1].GetInt32())), "(h', w')");
        }
        foreach (JsonElement extra in entry.GetProperty("extra").EnumerateArray())
            targets.Add((extra[0].GetInt32(), extra[1].GetInt32(), $"{name}.resize_{extra[0].GetInt32()}x{extra[1].GetInt32()}"));
        foreach (var (width, height, key) in targets)
        {
            using PixelImage resized = source.Resize(width, height);
            AssertSameBytes(resized.Pixels, expected.U8(key).Bytes, width, $"{key}: Pillow BILINEAR {width}x{height}");
        }
    }

    internal static void AssertSameBytes(ReadOnlySpan<byte> actual, byte[] expected, int width, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: byte count");
        int differing = 0, first = -1, worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (actual[i] == expected[i])
                continue;
            differing++;
            if (first < 0)
                first = i;
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        }
        if (differing > 0)
            Assert.Fail($"{what}: {differing} of {expected.Length} bytes differ (largest difference {worst}); first at " +
                $"x={first / 3 % width}, y={first / 3 / width}, channel {first % 3}: {actual[first]} vs {expected[first]}");
    }
}
