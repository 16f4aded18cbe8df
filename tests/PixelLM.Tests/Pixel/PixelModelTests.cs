using NUnit.Framework;
using PixelLM.Llm;
using PixelLM.Pixel;
using PixelLM.Tests.Parity;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Pixel;

public sealed class PixelModelTests
{
    private static string TinyPixel => TestData.Require("gguf", "tiny-f32", "pixel.gguf");
    private static string TinyLlm => TestData.Require("gguf", "tiny-f32", "llm.gguf");

    [Test]
    public void ReportsTheHyperParametersOfTheConvertedTinyModel()
    {
        using var model = PixelModel.Load(TinyPixel);
        PixelModelInfo info = model.Info;
        Assert.Multiple(() =>
        {
            Assert.That(info.ImageSize, Is.EqualTo(448));
            Assert.That(info.PatchSize, Is.EqualTo(14));
            Assert.That(info.PatchGrid, Is.EqualTo(32));
            Assert.That(info.ImageTokenCount, Is.EqualTo(256));
            Assert.That(info.VisionWidth, Is.EqualTo(64));
            Assert.That(info.VisionLayerCount, Is.EqualTo(12));
            Assert.That(info.LanguageModelWidth, Is.EqualTo(64));
            Assert.That(info.LanguageModelVocabularySize, Is.EqualTo(32009));
            Assert.That(info.SegTokenIds, Is.EqualTo(new[] { 32003, 32004, 32005, 32006, 32007, 32008 }));
            Assert.That(info.ImageStartId, Is.EqualTo(32001));
            Assert.That(info.ImageEndId, Is.EqualTo(32002));
            Assert.That(info.ImageMean, Is.EqualTo(new[] { 123.675f, 116.28f, 103.53f }));
            Assert.That(info.ImageStd, Is.EqualTo(new[] { 58.395f, 57.12f, 57.375f }));
        });
    }

    [Test]
    public void AcceptsTheLanguageModelOfItsPair()
    {
        using var pixel = PixelModel.Load(TinyPixel);
        using var llm = LanguageModel.Load(TinyLlm);
        Assert.DoesNotThrow(() => pixel.CheckPair(llm));
    }

    [Test]
    public void RejectsALanguageModelFromAnotherPair()
    {
        using var dir = new TempDirectory();
        string otherLlm = dir.File("other.gguf");
        TinyLlamaGguf.Write(otherLlm);
        using var pixel = PixelModel.Load(TinyPixel);
        using var llm = LanguageModel.Load(otherLlm);
        var error = Assert.Throws<PixelLmInvalidArgumentException>(() => pixel.CheckPair(llm));
        Assert.That(error!.Message, Does.Contain("do not belong together"));
    }

    [Test]
    public void RefusesTheLanguageModelFileAsAPixelFile()
    {
        var error = Assert.Throws<PixelLmUnsupportedException>(() => PixelModel.Load(TinyLlm));
        Assert.That(error!.Message, Does.Contain("general.architecture is 'llama'"));
    }

    [Test]
    public void ContextsOutliveADisposedModelAndRefuseNegativeThreads()
    {
        var model = PixelModel.Load(TinyPixel);
        Assert.Throws<PixelLmInvalidArgumentException>(() => model.CreateContext(-1));
        using PixelContext context = model.CreateContext(1);
        model.Dispose();
        Assert.That(context.Info.DecoderWidth, Is.EqualTo(64));
        Assert.Throws<ObjectDisposedException>(() => model.CreateContext());
    }
}
