using System.Text;
using NUnit.Framework;
using PixelLM.Tokenization;

namespace PixelLM.Tests.Text;

/// <summary>Streaming decoding: deltas are final, never half a character, and join to <see cref="Tokenizer.Decode"/>.</summary>
[TestFixture]
public sealed class DetokenizerTests
{
    private static Tokenizer Tokenizer => LlamaTokenizerFixture.Instance.Tokenizer;

    // LLaMA's byte tokens: <0x00> is id 3.
    private static int Byte(int value) => 3 + value;

    [Test]
    public void EmojiBytes_AppearOnlyWhenComplete()
    {
        Detokenizer detokenizer = Tokenizer.CreateDetokenizer();
        string[] deltas = [.. new[] { 0xF0, 0x9F, 0x98, 0x80 }.Select(b => detokenizer.Append(Byte(b)))];
        Assert.That(deltas, Is.EqualTo(new[] { "", "", "", "😀" }));
        Assert.That(detokenizer.Flush(), Is.Empty);
    }

    [Test]
    public void LeadingSpace_IsDroppedOnlyForTheFirstPiece()
    {
        Detokenizer detokenizer = Tokenizer.CreateDetokenizer();
        int[] ids = Tokenizer.Encode("Hello world");
        Assert.That(ids.Select(detokenizer.Append), Is.EqualTo(new[] { "Hello", " world" }));
    }

    [Test]
    public void ControlTokens_AreHiddenUnlessAsked_AndDoNotCountAsTheFirstPiece()
    {
        int[] ids = [Tokenizer.Vocabulary.BosId, .. Tokenizer.Encode("Hi"), Tokenizer.Vocabulary.EosId];
        Assert.That(Tokenizer.Decode(ids), Is.EqualTo("Hi"));
        Assert.That(Tokenizer.Decode(ids, showControlTokens: true), Is.EqualTo("<s>Hi</s>"));
    }

    [Test]
    public void AddedTokens_DecodeToTheirText()
    {
        Vocabulary vocabulary = Tokenizer.Vocabulary;
        int[] ids = [.. Tokenizer.Encode("the cat"), vocabulary.AddedTokens["[SEG0]"], vocabulary.AddedTokens["[SEG1]"], .. Tokenizer.Encode("and")];
        Assert.That(Tokenizer.Decode(ids), Is.EqualTo("the cat[SEG0][SEG1] and"));
    }

    [Test]
    public void IncompleteBytes_BecomeReplacementCharactersOnFlush_OrBeforeAnotherToken()
    {
        Detokenizer detokenizer = Tokenizer.CreateDetokenizer();
        Assert.That(detokenizer.Append(Byte(0xF0)), Is.Empty);
        Assert.That(detokenizer.Append(Byte(0x9F)), Is.Empty);
        Assert.That(detokenizer.Flush(), Is.EqualTo("\uFFFD\uFFFD"));

        Assert.That(detokenizer.Append(Byte(0xE4)), Is.Empty);
        Assert.That(detokenizer.Append(Tokenizer.Encode("a")[0]), Is.EqualTo("\uFFFD a"), "a byte token came first, so the dummy-prefix rule is spent");
        Assert.That(detokenizer.Append(Byte(0x80)), Is.EqualTo("\uFFFD"), "a stray continuation byte is decided at once");
    }

    [Test]
    public void OutOfRangeId_Throws_AndLeavesTheStreamIntact()
    {
        Detokenizer detokenizer = Tokenizer.CreateDetokenizer();
        Assert.That(detokenizer.Append(Byte(0xE2)), Is.Empty);
        Assert.Throws<ArgumentOutOfRangeException>(() => detokenizer.Append(Tokenizer.Vocabulary.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => detokenizer.Append(-200));
        Assert.That(detokenizer.Append(Byte(0x82)), Is.Empty);
        Assert.That(detokenizer.Append(Byte(0xAC)), Is.EqualTo("€"));
    }

    [Test]
    public void Deltas_AreFinalWellFormedAndJoinToDecode_ForEveryTestSequence()
    {
        LlamaTokenizerFixture fixture = LlamaTokenizerFixture.Instance;
        var random = new Random(7);
        IEnumerable<int[]> sequences = fixture.DecodeSequences
            .Concat(fixture.Oracle.Encode.Select(e => e.Ids))
            .Concat(Enumerable.Range(0, 200).Select(_ => RandomIds(random, fixture.Tokenizer.Vocabulary.Count)));

        int checkedCount = 0;
        foreach (int[] ids in sequences)
        {
            string whole = Tokenizer.Decode(ids);
            Detokenizer detokenizer = Tokenizer.CreateDetokenizer();
            var streamed = new StringBuilder();
            foreach (int id in ids)
            {
                string delta = detokenizer.Append(id);
                Assert.That(IsWellFormed(delta), Is.True, $"delta {SentencePieceParityTests.Escape(delta)} splits a surrogate pair");
                streamed.Append(delta);
                Assert.That(whole.StartsWith(streamed.ToString(), StringComparison.Ordinal), Is.True,
                    $"[{string.Join(' ', ids)}]: streamed text {SentencePieceParityTests.Escape(streamed.ToString())} is not a prefix of the whole decoding");
            }

            streamed.Append(detokenizer.Flush());
            Assert.That(streamed.ToString(), Is.EqualTo(whole), $"[{string.Join(' ', ids)}]");
            checkedCount++;
        }

        Assert.That(checkedCount, Is.GreaterThan(700));
    }

    /// <summary>Mostly byte tokens (valid and invalid UTF-8), with pieces, control and added tokens between.</summary>
    private static int[] RandomIds(Random random, int count) =>
    [
        .. Enumerable.Range(0, random.Next(1, 30)).Select(_ => random.Next(4) switch
        {
            0 => random.Next(0, count),
            1 => random.Next(0, 3),
            _ => Byte(random.Next(4) == 0 ? random.Next(256) : random.Next(0x80, 0xF5)),
        }),
    ];

    private static bool IsWellFormed(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return false;
        }

        return true;
    }
}
