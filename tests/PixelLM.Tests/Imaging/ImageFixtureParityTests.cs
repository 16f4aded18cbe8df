using NUnit.Framework;
using PixelLM.Imaging;
using PixelLM.Tests.Parity;

namespace PixelLM.Tests.Imaging;

/// <summary>
/// The image stages of the reference's fixtures (image.rgb, image.resized, image.pixels, mask.patch,
/// mask.token; spec §2.2, §2.5, §15.2), for the fixtures' own images: a portrait JPEG with EXIF
/// orientation 6 (greedy fixtures) and a greyscale PNG (forced fixtures).
/// </summary>
[TestFixture]
public sealed class ImageFixtureParityTests
{
    [TestCase("tiny-greedy-f32")]
    [TestCase("tiny-forced-f32")]
    public void MatchesTheReferenceStageByStage(string fixtureName)
    {
        using ReferenceFixture fixture = ReferenceFixture.Load(fixtureName);
        string imagePath = fixture.Manifest.RootElement.GetProperty("image").GetProperty("path").GetString()!;
        if (!File.Exists(imagePath))
            imagePath = TestData.Require("images", Path.GetFileName(imagePath));
        var raw = RawSafetensors.Open(Path.Combine(fixture.Directory, "tensors.safetensors"));

        using PixelImage image = PixelImage.Load(imagePath);
        var (rgb, _) = raw.U8("image.rgb");
        ImageParityTests.AssertSameBytes(image.Pixels, rgb, image.Width, "image.rgb");

        PreprocessedImage pre = ImagePreprocessor.Default.Preprocess(image);
        Assert.That((pre.ResizedHeight, pre.ResizedWidth), Is.EqualTo(fixture.InputSize));
        Assert.That((pre.OriginalHeight, pre.OriginalWidth), Is.EqualTo((image.Height, image.Width)));
        using (PixelImage resized = image.Resize(pre.ResizedWidth, pre.ResizedHeight))
            ImageParityTests.AssertSameBytes(resized.Pixels, raw.U8("image.resized").Bytes, pre.ResizedWidth, "image.resized");

        // Bit-identical: the same 8-bit pixels go through the same two f32 operations, (v - mean) then
        // / std, in the same order as the reference's torch code (the manifest allows 1e-5 relative).
        var (pixels, shape) = fixture.Tensor("image.pixels");
        Assert.That(shape, Is.EqualTo(new long[] { 1, 3, 448, 448 }));
        int mismatches = 0;
        for (int i = 0; i < pixels.Length; i++)
            if (BitConverter.SingleToInt32Bits(pixels[i]) != BitConverter.SingleToInt32Bits(pre.Pixels[i]))
                mismatches++;
        Assert.That(mismatches, Is.Zero, "image.pixels: values differing in any bit");

        Assert.That(pre.PatchValid.Select(b => (byte)(b ? 1 : 0)).ToArray(), Is.EqualTo(raw.U8("mask.patch").Bytes), "mask.patch");
        Assert.That(pre.TokenValid.Select(b => (byte)(b ? 1 : 0)).ToArray(), Is.EqualTo(raw.U8("mask.token").Bytes), "mask.token");
    }
}
