using NUnit.Framework;
using PixelLM.Llm;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Llm;

/// <summary>
/// The language model through the C# API: loading, contexts, batches, outputs and the KV-cache
/// operations, and that refused batches leave a context usable. Numerical parity with the PyTorch
/// reference is the parity suite's job; these tests pin the API's behaviour.
/// </summary>
[TestFixture]
public sealed class LanguageModelTests
{
    private TempDirectory _directory = null!;
    private string _path = null!;

    [OneTimeSetUp]
    public void WriteModel()
    {
        _directory = new TempDirectory();
        _path = _directory.File("tiny-llama.gguf");
        TinyLlamaGguf.Write(_path);
    }

    [OneTimeTearDown]
    public void RemoveModel() => _directory.Dispose();

    private static float[] DecodeLast(LanguageModelContext context, params int[] tokens)
    {
        var batch = new DecodeBatch();
        int start = context.GetSequenceLength(0);
        for (int i = 0; i < tokens.Length; i++)
            batch.AddToken(tokens[i], 0, start + i, output: i == tokens.Length - 1);
        context.Decode(batch);
        return context.GetLogits(0).ToArray();
    }

    [Test]
    public void Load_ReportsTheHyperParameters()
    {
        using LanguageModel model = LanguageModel.Load(_path);
        Assert.That(model.Info, Is.EqualTo(new LanguageModelInfo(TinyLlamaGguf.Vocabulary, 64, 2, 4, 2, 96, 64)));
    }

    [Test]
    public void Decode_PromptAtOnceEqualsTokenByToken()
    {
        using LanguageModel model = LanguageModel.Load(_path);
        using LanguageModelContext whole = model.CreateContext(new LanguageModelContextOptions { Threads = 2 });
        float[] atOnce = DecodeLast(whole, 1, 7, 30, 12);

        using LanguageModelContext stepwise = model.CreateContext(new LanguageModelContextOptions { Threads = 1 });
        float[] last = [];
        foreach (int token in new[] { 1, 7, 30, 12 })
            last = DecodeLast(stepwise, token);

        Assert.That(last, Is.EqualTo(atOnce).Within(1e-5f));
        Assert.That(stepwise.GetSequenceLength(0), Is.EqualTo(4));
    }

    [Test]
    public void Outputs_CoverTheMarkedEntriesInOrder_WithHiddenStatesOfModelWidth()
    {
        using LanguageModel model = LanguageModel.Load(_path);
        using LanguageModelContext context = model.CreateContext();
        var batch = new DecodeBatch()
            .AddToken(1, 0, 0, output: true)
            .AddToken(5, 0, 1)
            .AddToken(9, 0, 2, output: true);
        context.Decode(batch);

        Assert.That(context.OutputCount, Is.EqualTo(2));
        Assert.That(context.GetLogits(1).Length, Is.EqualTo(TinyLlamaGguf.Vocabulary));
        Assert.That(context.GetHiddenState(0).Length, Is.EqualTo(64));
        Assert.That(context.GetLogits(0).ToArray(), Is.Not.EqualTo(context.GetLogits(1).ToArray()));
        Assert.Throws<PixelLmInvalidArgumentException>(() => context.GetLogits(2));
    }

    [Test]
    public void AnEmbeddingEntry_TakesTheRowItIsGiven()
    {
        using LanguageModel model = LanguageModel.Load(_path);
        using LanguageModelContext context = model.CreateContext(new LanguageModelContextOptions { Sequences = 2 });
        var zeros = new float[64];
        var ones = Enumerable.Repeat(1.0f, 64).ToArray();
        var batch = new DecodeBatch(embeddingWidth: 64)
            .AddEmbedding(zeros, 0, 0, output: true)
            .AddEmbedding(ones, 1, 0, output: true);
        context.Decode(batch);
        Assert.That(context.GetLogits(0).ToArray(), Is.Not.EqualTo(context.GetLogits(1).ToArray()));
        Assert.Throws<ArgumentException>(() => batch.AddEmbedding(new float[63], 0, 1));
    }

    [Test]
    public void CopyAndTruncate_ReuseAPrefix()
    {
        using LanguageModel model = LanguageModel.Load(_path);
        using LanguageModelContext context = model.CreateContext(new LanguageModelContextOptions { Sequences = 2 });
        context.Decode(new DecodeBatch().AddToken(1, 0, 0).AddToken(4, 0, 1));
        context.CopySequence(0, 1);
        context.Decode(new DecodeBatch().AddToken(8, 0, 2, output: true).AddToken(8, 1, 2, output: true));
        Assert.That(context.GetLogits(1).ToArray(), Is.EqualTo(context.GetLogits(0).ToArray()));

        context.TruncateSequence(1, 0);
        Assert.That(context.GetSequenceLength(1), Is.EqualTo(0));
        Assert.That(context.GetSequenceLength(0), Is.EqualTo(3));
    }

    [Test]
    public void RefusedBatches_ThrowTypedErrors_AndChangeNothing()
    {
        using LanguageModel model = LanguageModel.Load(_path);
        using LanguageModelContext context = model.CreateContext(new LanguageModelContextOptions { ContextLength = 3 });
        context.Decode(new DecodeBatch().AddToken(1, 0, 0));

        var badToken = Assert.Throws<PixelLmInvalidArgumentException>(
            () => context.Decode(new DecodeBatch().AddToken(TinyLlamaGguf.Vocabulary, 0, 1)))!;
        Assert.That(badToken.Message, Does.Contain("outside the vocabulary"));
        Assert.Throws<PixelLmInvalidArgumentException>(() => context.Decode(new DecodeBatch().AddToken(2, 3, 0)));
        Assert.Throws<PixelLmInvalidArgumentException>(() => context.Decode(new DecodeBatch().AddToken(2, 0, 5)));
        var full = Assert.Throws<PixelLmContextFullException>(
            () => context.Decode(new DecodeBatch().AddToken(2, 0, 1).AddToken(2, 0, 2).AddToken(2, 0, 3)))!;
        Assert.That(full.Status, Is.EqualTo(PixelLmStatus.ContextFull));
        Assert.That(context.GetSequenceLength(0), Is.EqualTo(1));

        context.Decode(new DecodeBatch().AddToken(2, 0, 1));
        Assert.That(context.GetSequenceLength(0), Is.EqualTo(2));
    }

    [Test]
    public void BadOptionsAndFiles_AreNamed()
    {
        using LanguageModel model = LanguageModel.Load(_path);
        var error = Assert.Throws<PixelLmInvalidArgumentException>(
            () => model.CreateContext(new LanguageModelContextOptions { Threads = -2 }))!;
        Assert.That(error.Message, Does.Contain("n_threads is -2"));
        Assert.Throws<PixelLmIOException>(() => LanguageModel.Load(_directory.File("missing.gguf")));
    }

    [Test]
    public void DisposedObjects_ThrowObjectDisposed_AndAContextOutlivesItsModelHandle()
    {
        LanguageModel model = LanguageModel.Load(_path);
        LanguageModelContext context = model.CreateContext();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.CreateContext());
        Assert.That(DecodeLast(context, 1, 2), Has.Length.EqualTo(TinyLlamaGguf.Vocabulary));
        context.Dispose();
        Assert.Throws<ObjectDisposedException>(() => context.GetSequenceLength(0));
    }
}
