using NUnit.Framework;
using PixelLM.Gguf;
using PixelLM.Llm;
using PixelLM.Tests.Parity;
using PixelLM.Tokenization;

namespace PixelLM.Tests.Llm;

/// <summary>
/// Text generation over the converted tiny PixelLM (LLaMA's real vocabulary, random weights): greedy
/// decoding equals an argmax loop, streaming text equals the decoded ids, the stop rules, seeded sampling,
/// and cancellation that leaves the context usable.
/// </summary>
[TestFixture]
public sealed class TextGeneratorTests
{
    private LanguageModel _model = null!;
    private Tokenizer _tokenizer = null!;
    private int[] _prompt = null!;

    [OneTimeSetUp]
    public void Load()
    {
        string path = TestData.Require("gguf", "tiny-f32", "llm.gguf");
        using (GgufFile file = GgufFile.Open(path))
            _tokenizer = Tokenizer.FromMetadata(file.Metadata);
        _model = LanguageModel.Load(path);
        _prompt = PixelLmPromptBuilder.BuildTextOnly(_tokenizer, "Which objects could hold water?");
    }

    [OneTimeTearDown]
    public void Unload() => _model.Dispose();

    private LanguageModelContext NewContext() =>
        _model.CreateContext(new LanguageModelContextOptions { Threads = 2, ContextLength = 256 });

    private async Task<List<GeneratedToken>> Generate(LanguageModelContext context, GenerationOptions options,
        CancellationToken cancellationToken = default)
    {
        var tokens = new List<GeneratedToken>();
        await foreach (GeneratedToken token in new TextGenerator(context, _tokenizer).GenerateAsync(_prompt, options, cancellationToken))
            tokens.Add(token);
        return tokens;
    }

    // The reference's greedy loop, written out: argmax of the last logits, fed back.
    private int[] ArgMaxLoop(int count)
    {
        using LanguageModelContext context = NewContext();
        var batch = new DecodeBatch();
        for (int i = 0; i < _prompt.Length; i++)
            batch.AddToken(_prompt[i], 0, i, output: i == _prompt.Length - 1);
        context.Decode(batch);
        var ids = new List<int>();
        for (int step = 0; step < count; step++)
        {
            int id = TokenSampler.ArgMax(context.GetLogits(0));
            ids.Add(id);
            context.Decode(new DecodeBatch().AddToken(id, 0, _prompt.Length + step, output: true));
        }
        return [.. ids];
    }

    [Test]
    public async Task Greedy_EqualsTheArgMaxLoop_AndStreamsTheDecodedText()
    {
        using LanguageModelContext context = NewContext();
        List<GeneratedToken> tokens = await Generate(context, new GenerationOptions { MaxNewTokens = 24, StopTokens = [] });
        int[] ids = tokens.Select(t => t.TokenId!.Value).ToArray();
        Assert.That(ids, Is.EqualTo(ArgMaxLoop(24)));
        Assert.That(string.Concat(tokens.Select(t => t.Text)), Is.EqualTo(_tokenizer.Decode(ids)));
    }

    [Test]
    public async Task Generation_StopsAtMaxNewTokens_AndAtAStopToken_WhichIsNotYielded()
    {
        using LanguageModelContext context = NewContext();
        int[] greedy = ArgMaxLoop(3);
        Assert.That(await Generate(context, new GenerationOptions { MaxNewTokens = 0 }), Is.Empty);
        Assert.That((await Generate(context, new GenerationOptions { MaxNewTokens = 5, StopTokens = [] })).Count, Is.EqualTo(5));
        List<GeneratedToken> stopped = await Generate(context, new GenerationOptions { StopTokens = [greedy[2]] });
        Assert.That(stopped.Select(t => t.TokenId), Is.EqualTo(new int?[] { greedy[0], greedy[1] }));
    }

    [Test]
    public async Task Sampling_IsReproducibleFromItsSeed_AndTopKOfOneIsGreedy()
    {
        using LanguageModelContext context = NewContext();
        var sampled = new GenerationOptions { MaxNewTokens = 16, Temperature = 1.0f, TopP = 0.95f, Seed = 7, StopTokens = [] };
        List<GeneratedToken> first = await Generate(context, sampled);
        List<GeneratedToken> again = await Generate(context, sampled);
        List<GeneratedToken> other = await Generate(context, sampled with { Seed = 8 });
        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));

        List<GeneratedToken> topOne = await Generate(context, sampled with { TopK = 1, TopP = 1.0f });
        Assert.That(topOne.Select(t => t.TokenId!.Value), Is.EqualTo(ArgMaxLoop(16)));
    }

    [Test]
    public async Task Cancellation_BetweenTokens_LeavesTheContextUsable()
    {
        using LanguageModelContext context = NewContext();
        using var cancellation = new CancellationTokenSource();
        int seen = 0;
        await Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            await foreach (GeneratedToken _ in new TextGenerator(context, _tokenizer)
                               .GenerateAsync(_prompt, new GenerationOptions { StopTokens = [] }, cancellation.Token))
                if (++seen == 3)
                    await cancellation.CancelAsync();
        });
        Assert.That(seen, Is.EqualTo(3));
        List<GeneratedToken> after = await Generate(context, new GenerationOptions { MaxNewTokens = 8, StopTokens = [] });
        Assert.That(after.Select(t => t.TokenId!.Value), Is.EqualTo(ArgMaxLoop(8)));
    }

    [Test]
    public void BadOptions_AreNamed()
    {
        Assert.That(() => new GenerationOptions { Temperature = -1 }.Validate(),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Temperature"));
        Assert.That(() => new GenerationOptions { TopP = 0 }.Validate(),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("TopP"));
        Assert.That(() => new GenerationOptions { MaxNewTokens = -1 }.Validate(),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("MaxNewTokens"));
    }

    [Test]
    public void ArgMax_BreaksTiesTowardTheLowestId()
    {
        Assert.That(TokenSampler.ArgMax([0.5f, 2f, 2f, 1f]), Is.EqualTo(1));
    }
}
