using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;
using PixelLM.Masks;
using PixelLM.Tests.Interop;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Masks;

/// <summary>The encoders: PNG per mask, RGB PNG, COCO RLE (against an independent Python decoder) and the overlay.</summary>
[TestFixture]
public sealed class MaskEncoderTests
{
    private static byte[] RandomMask(int width, int height, double density, int seed)
    {
        var random = new Random(seed);
        var mask = new byte[width * height];
        for (int i = 0; i < mask.Length; i++)
            mask[i] = random.NextDouble() < density ? (byte)1 : (byte)0;
        return mask;
    }

    // A Mask as the post-processor makes them: from low-resolution logits, here random, resized to width x height.
    private static IReadOnlyList<Mask> Masks(int count, int width, int height, int seed)
    {
        var random = new Random(seed);
        float[] level0 = [.. Enumerable.Range(0, count * 4 * 4).Select(_ => (float)random.NextDouble() * 2 - 1)];
        float[] level1 = [.. Enumerable.Range(0, count * 8 * 8).Select(_ => (float)random.NextDouble() * 2 - 1)];
        return new MaskPostprocessor().Process(level0, 4, level1, 8, new MaskGeometry(8, 8, height, width));
    }

    [TestCase(1, 1)]
    [TestCase(13, 7)]
    [TestCase(64, 3)]
    public void MaskPng_DecodesToTheSamePixels(int width, int height)
    {
        byte[] mask = RandomMask(width, height, 0.4, width + height);
        var png = PngTestReader.Read(MaskPng.Encode(mask, width, height));
        Assert.That((png.Width, png.Height, png.BitDepth, png.ColourType), Is.EqualTo((width, height, 1, 0)));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int bit = (png.Rows[y][x >> 3] >> (7 - (x & 7))) & 1;
                Assert.That(bit, Is.EqualTo(mask[y * width + x]), $"pixel ({x}, {y})");
            }
        }
    }

    [Test]
    public void MaskPng_WriteAll_OneFilePerMask()
    {
        using var temp = new TempDirectory();
        IReadOnlyList<Mask> masks = Masks(3, 21, 10, 5);
        IReadOnlyList<string> paths = MaskPng.WriteAll(masks, temp.File("out"), "photo");
        Assert.That(paths.Select(Path.GetFileName), Is.EqualTo(new[] { "photo_mask_0.png", "photo_mask_1.png", "photo_mask_2.png" }));
        var png = PngTestReader.Read(File.ReadAllBytes(paths[2]));
        Assert.That((png.Width, png.Height), Is.EqualTo((21, 10)));
        Assert.That((png.Rows[4][0] >> 7) & 1, Is.EqualTo(masks[2][0, 4] ? 1 : 0));
    }

    [Test]
    public void RgbPng_DecodesToTheSameBytes()
    {
        var rgb = new byte[3 * 5 * 4];
        new Random(7).NextBytes(rgb);
        var png = PngTestReader.Read(RgbPng.Encode(rgb, 5, 4));
        Assert.That((png.Width, png.Height, png.BitDepth, png.ColourType), Is.EqualTo((5, 4, 8, 2)));
        Assert.That(png.Rows.SelectMany(r => r), Is.EqualTo(rgb));
        Assert.That(() => RgbPng.Encode(rgb, 5, 5), Throws.ArgumentException.With.Message.Contains("RGB24"));
    }

    [Test]
    public void CocoRle_KnownStrings()
    {
        // Column-major runs starting with off: [[0,1],[0,0]] is 2 off, 1 on, 1 off.
        Assert.That(CocoRle.Encode([0, 1, 0, 0], 2, 2), Is.EqualTo("211"));
        // A mask that starts on has an empty first run; 40 needs two 5-bit groups ("X1").
        byte[] tall = [.. Enumerable.Repeat((byte)1, 40), .. Enumerable.Repeat((byte)0, 3)];
        Assert.That(CocoRle.Encode(tall, 1, 43), Is.EqualTo("0X13"));
        Assert.That(CocoRle.Decode("0X13", 1, 43), Is.EqualTo(tall));
    }

    [TestCase(1, 1, 0.0)]
    [TestCase(1, 1, 1.0)]
    [TestCase(17, 9, 0.5)]
    [TestCase(40, 33, 0.03)]
    [TestCase(123, 77, 0.97)]
    public void CocoRle_RoundTrips(int width, int height, double density)
    {
        byte[] mask = RandomMask(width, height, density, width * height);
        Assert.That(CocoRle.Decode(CocoRle.Encode(mask, width, height), width, height), Is.EqualTo(mask));
    }

    [TestCase("")]
    [TestCase("9")]
    [TestCase("2X")]
    [TestCase("2 1")]
    public void CocoRle_BadStrings_AreFormatErrors(string counts) =>
        Assert.That(() => CocoRle.Decode(counts, 2, 2), Throws.InstanceOf<FormatException>());

    [Test]
    public void CocoRle_AnIndependentDecoderReadsOurStrings()
    {
        var cases = new List<(byte[] Mask, int Width, int Height)>
        {
            (RandomMask(17, 9, 0.5, 1), 17, 9), (RandomMask(60, 45, 0.02, 2), 60, 45), (RandomMask(33, 70, 0.9, 3), 33, 70),
        };
        // Long runs exercise multi-group numbers and negative differences.
        byte[] blocks = new byte[200 * 150];
        for (int y = 20; y < 140; y++)
            for (int x = 10 + y / 3; x < 190; x++)
                blocks[y * 200 + x] = 1;
        cases.Add((blocks, 200, 150));
        string[] counts = [.. cases.Select(c => CocoRle.Encode(c.Mask, c.Width, c.Height))];

        using var temp = new TempDirectory();
        string request = temp.File("request.json"), response = temp.File("response.json");
        File.WriteAllText(request, JsonSerializer.Serialize(cases.Select((c, i) => new { height = c.Height, width = c.Width, counts = counts[i] })));
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            WorkingDirectory = Path.Combine(InteropTestPaths.RepositoryRoot, "tests", "reference"),
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string argument in new[] { "-m", "pixellm_ref.coco_rle", request, response })
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, error);

        using JsonDocument decoded = JsonDocument.Parse(File.ReadAllText(response));
        for (int i = 0; i < cases.Count; i++)
        {
            JsonElement entry = decoded.RootElement[i];
            byte[] pixels = [.. entry.GetProperty("mask").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => (byte)v.GetInt32()))];
            Assert.That(pixels, Is.EqualTo(cases[i].Mask), $"case {i} decoded by pixellm_ref.coco_rle");
            Assert.That(entry.GetProperty("counts").GetString(), Is.EqualTo(counts[i]), $"case {i} encoded by pixellm_ref.coco_rle");
        }
    }

    [Test]
    public void Overlay_BlendsEachMaskWithItsColour()
    {
        const int width = 9, height = 6;
        IReadOnlyList<Mask> masks = Masks(2, width, height, 11);
        var rgb = new byte[3 * width * height];
        new Random(3).NextBytes(rgb);
        byte[] output = MaskOverlay.Render(rgb, width, height, masks, alpha: 0.5f);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int expected = rgb[3 * (y * width + x) + c];
                    for (int j = 0; j < masks.Count; j++)
                    {
                        if (masks[j][x, y])
                            expected = (expected * 128 + ((MaskOverlay.Palette[j] >> (16 - 8 * c)) & 0xFF) * 128 + 128) >> 8;
                    }
                    Assert.That(output[3 * (y * width + x) + c], Is.EqualTo(expected), $"pixel ({x}, {y}) channel {c}");
                }
            }
        }
        Assert.That(() => MaskOverlay.Render(rgb, width + 1, height, masks), Throws.ArgumentException);
        Assert.That(() => MaskOverlay.Render(rgb, width, height, masks, alpha: 2), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
