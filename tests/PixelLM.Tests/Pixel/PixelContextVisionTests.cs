using NUnit.Framework;
using PixelLM.Pixel;
using PixelLM.Tests.Parity;

namespace PixelLM.Tests.Pixel;

/// <summary>The vision call's contract: sizes, bad input, disposal (numerics are in VisionParityTests).</summary>
public sealed class PixelContextVisionTests
{
    private static string TinyPixel => TestData.Require("gguf", "tiny-f32", "pixel.gguf");

    private static float[] Pixels(PixelModelInfo info) => new float[3 * info.ImageSize * info.ImageSize];

    [Test]
    public void ReturnsTheImageTokensAndBothMaskFeatureMaps()
    {
        using var model = PixelModel.Load(TinyPixel);
        using PixelContext context = model.CreateContext(1);
        float[] pixels = Pixels(model.Info);
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = MathF.Sin(i * 0.001f);
        VisionFeatures features = context.EncodeImage(pixels, 448, 300);
        Assert.Multiple(() =>
        {
            Assert.That(features.TokenCount, Is.EqualTo(256));
            Assert.That(features.PatchCount, Is.EqualTo(1024));
            Assert.That(features.Width, Is.EqualTo(64));
            Assert.That(features.ImageTokens, Has.Length.EqualTo(256 * 64));
            Assert.That(features.MaskFeatures, Has.Length.EqualTo(2 * 1024 * 64));
            Assert.That(features.ImageTokens.All(float.IsFinite) && features.MaskFeatures.All(float.IsFinite), Is.True);
        });
        // Same input, same context: the same bits (no state carried between calls).
        VisionFeatures again = context.EncodeImage(pixels, 448, 300);
        Assert.That(again.ImageTokens, Is.EqualTo(features.ImageTokens));
        Assert.That(again.MaskFeatures, Is.EqualTo(features.MaskFeatures));
    }

    [Test]
    public void RejectsAWrongPixelCountAndValidSizesOutOfRange()
    {
        using var model = PixelModel.Load(TinyPixel);
        using PixelContext context = model.CreateContext(1);
        float[] pixels = Pixels(model.Info);
        var error = Assert.Throws<ArgumentException>(() => context.EncodeImage(pixels.AsSpan(1), 448, 448));
        Assert.That(error!.Message, Does.Contain("3 x 448 x 448"));
        Assert.Throws<ArgumentOutOfRangeException>(() => context.EncodeImage(pixels, 0, 448));
        Assert.Throws<ArgumentOutOfRangeException>(() => context.EncodeImage(pixels, 449, 448));
        Assert.Throws<ArgumentOutOfRangeException>(() => context.EncodeImage(pixels, 448, -3));
        Assert.DoesNotThrow(() => context.EncodeImage(pixels, 1, 1), "the context stays usable");
    }

    [Test]
    public void ThrowsObjectDisposedAfterDispose()
    {
        using var model = PixelModel.Load(TinyPixel);
        PixelContext context = model.CreateContext(1);
        context.Dispose();
        Assert.Throws<ObjectDisposedException>(() => context.EncodeImage(Pixels(model.Info), 448, 448));
    }

    [Test]
    public void RefusesAnUnknownComputeType()
    {
        using var model = PixelModel.Load(TinyPixel);
        var error = Assert.Throws<PixelLmInvalidArgumentException>(() => model.CreateContext(1, visionCompute: (VisionComputeType)7));
        Assert.That(error!.Message, Does.Contain("vision_compute_type is 7"));
    }
}
