using NUnit.Framework;
using PixelLM.Imaging;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Imaging;

/// <summary>The managed image API: loading from every source, ownership, options and typed errors on bad input.</summary>
[TestFixture]
public sealed class PixelImageTests
{
    // A 2x1 grey PNG (values 0x00 and 0xff) written byte by byte: signature, IHDR, IDAT, IEND.
    private static readonly byte[] TinyPng = Convert.FromHexString(
        "89504E470D0A1A0A0000000D4948445200000002000000010800000000D1492056" +
        "0000000B49444154789C6360F80F000102010042BEBC680000000049454E44AE426082");

    [Test]
    public void LoadsFromSpanStreamAndPathAlike()
    {
        using PixelImage fromSpan = PixelImage.Load(TinyPng);
        Assert.That((fromSpan.Width, fromSpan.Height, fromSpan.Format), Is.EqualTo((2, 1, ImageFormat.Png)));
        Assert.That(fromSpan.Pixels.ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 255, 255, 255 }));
        using PixelImage fromStream = PixelImage.Load(new MemoryStream(TinyPng));
        Assert.That(fromStream.ToRgb24Array(), Is.EqualTo(fromSpan.ToRgb24Array()));
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "tiny.png");
        File.WriteAllBytes(path, TinyPng);
        using PixelImage fromPath = PixelImage.Load(path);
        Assert.That(fromPath.ToRgb24Array(), Is.EqualTo(fromSpan.ToRgb24Array()));
        Assert.That(fromPath.BitsPerChannel, Is.EqualTo(8));
        Assert.That(fromPath.HadAlpha, Is.False);
    }

    [Test]
    public void FromRgb24CopiesAndChecksTheSize()
    {
        byte[] rgb = [1, 2, 3, 4, 5, 6];
        using PixelImage image = PixelImage.FromRgb24(rgb, 2, 1);
        rgb[0] = 99;
        Assert.That(image.Pixels[0], Is.EqualTo(1), "the pixels were copied");
        Assert.That(image.Format, Is.EqualTo(ImageFormat.Rgb24));
        var e = Assert.Throws<PixelLmInvalidArgumentException>(() => PixelImage.FromRgb24(rgb, 3, 1))!;
        Assert.That(e.Message, Does.Contain("a 3x1 RGB24 image has 9"));
        Assert.Throws<PixelLmInvalidArgumentException>(() => PixelImage.FromRgb24(ReadOnlySpan<byte>.Empty, 0, 0));
        Assert.Throws<PixelLmUnsupportedException>(() => PixelImage.FromRgb24(rgb, 2, 1, new ImageDecodeOptions { MaxPixels = 1 }));
    }

    [Test]
    public void BadInputGetsTypedErrorsThatSayWhy()
    {
        Assert.That(Assert.Throws<PixelLmFormatException>(() => PixelImage.Load(ReadOnlySpan<byte>.Empty))!.Message, Does.Contain("empty"));
        Assert.That(Assert.Throws<PixelLmUnsupportedException>(() => PixelImage.Load("GIF89a\x01\x00"u8))!.Message,
            Does.Contain("supported formats are JPEG and PNG"));
        Assert.That(Assert.Throws<PixelLmFormatException>(() => PixelImage.Load(TinyPng.AsSpan(0, 40)))!.Message, Does.Contain("truncated"));
        Assert.Throws<PixelLmInvalidArgumentException>(() => PixelImage.Load(TinyPng, new ImageDecodeOptions { MaxSide = 0 }));
        var tooWide = Assert.Throws<PixelLmUnsupportedException>(() => PixelImage.Load(TinyPng, new ImageDecodeOptions { MaxSide = 1 }))!;
        Assert.That(tooWide.Message, Does.Contain("max_side"));
        using var directory = new TempDirectory();
        string missing = Path.Combine(directory.Path, "missing.jpg");
        Assert.That(Assert.Throws<PixelLmIOException>(() => PixelImage.Load(missing))!.Message, Does.Contain(missing));
        string damaged = Path.Combine(directory.Path, "damaged.png");
        File.WriteAllBytes(damaged, TinyPng[..40]);
        Assert.That(Assert.Throws<PixelLmFormatException>(() => PixelImage.Load(damaged))!.Message, Does.Contain(damaged));
    }

    [Test]
    public void DisposedImagesRefuseUse()
    {
        PixelImage image = PixelImage.Load(TinyPng);
        image.Dispose();
        image.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _ = image.Pixels.Length);
        Assert.Throws<ObjectDisposedException>(() => image.Resize(4, 2));
        Assert.Throws<ObjectDisposedException>(() => ImagePreprocessor.Default.Preprocess(image));
    }

    [Test]
    public void PreprocessingFollowsTheSpecAndNamesBadSettings()
    {
        using PixelImage image = PixelImage.FromRgb24(new byte[640 * 480 * 3], 640, 480);
        PreprocessedImage pre = ImagePreprocessor.Default.Preprocess(image);
        Assert.That((pre.ResizedWidth, pre.ResizedHeight, pre.OriginalWidth, pre.OriginalHeight), Is.EqualTo((448, 336, 640, 480)));
        Assert.That(pre.Pixels, Has.Length.EqualTo(3 * 448 * 448));
        Assert.That(pre.PatchValid.Count(v => v), Is.EqualTo(24 * 32));   // §2.5's example
        Assert.That(pre.TokenValid.Count(v => v), Is.EqualTo(12 * 16));
        Assert.That(pre.CacheKey, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(pre.Pixels[0], Is.EqualTo((0f - 123.675f) / 58.395f));
        Assert.That(pre.Pixels[447 * 448 + 447], Is.Zero, "padding");

        var bad = new ImagePreprocessor(448, 15, 16, [1f, 1f, 1f], [1f, 1f, 1f]);
        Assert.That(Assert.Throws<PixelLmInvalidArgumentException>(() => bad.Preprocess(image))!.Message, Does.Contain("patch_size"));
        Assert.Throws<ArgumentException>(() => _ = new ImagePreprocessor(448, 14, 16, [1f], [1f, 1f, 1f]));
        using PixelImage thin = PixelImage.FromRgb24(new byte[3 * 2000], 1, 2000);
        Assert.That(Assert.Throws<PixelLmUnsupportedException>(() => ImagePreprocessor.Default.Preprocess(thin))!.Message, Does.Contain("too thin"));
    }
}
