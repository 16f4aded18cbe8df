using System.Diagnostics;
using System.Text;
using NUnit.Framework;
using PixelLM.Tokenization;

namespace PixelLM.Tests.Text;

/// <summary>
/// The C# tokenizer against SentencePiece itself (python3-sentencepiece, LLaMA's tokenizer.model),
/// on the generated texts and id sequences of <see cref="TokenizerTestStrings"/>, and the prompt ids
/// against the reference's tokenizer.py.
/// </summary>
[TestFixture]
public sealed class SentencePieceParityTests
{
    private static LlamaTokenizerFixture Fixture => LlamaTokenizerFixture.Instance;

    [Test]
    public void Encode_MatchesSentencePieceOnEveryGeneratedText()
    {
        Assert.That(Fixture.Texts, Has.Count.GreaterThanOrEqualTo(300));
        var mismatches = new List<string>();
        for (int i = 0; i < Fixture.Texts.Count; i++)
        {
            int[] expected = Fixture.Oracle.Encode[i].Ids;
            int[] actual = Fixture.Tokenizer.Encode(Fixture.Texts[i]);
            if (!actual.SequenceEqual(expected))
                mismatches.Add($"{Escape(Fixture.Texts[i])}: expected [{string.Join(' ', expected)}], got [{string.Join(' ', actual)}]");
        }

        Assert.That(mismatches, Is.Empty, $"{mismatches.Count} of {Fixture.Texts.Count} texts differ:\n" + string.Join('\n', mismatches.Take(10)));
        TestContext.Out.WriteLine($"{Fixture.Texts.Count} texts, {Fixture.Texts.Sum(t => t.Length)} characters: ids equal to sentencepiece's");
    }

    [Test]
    public void Decode_OfEncodedText_MatchesSentencePiece()
    {
        var mismatches = new List<string>();
        for (int i = 0; i < Fixture.Texts.Count; i++)
        {
            OracleEncoding expected = Fixture.Oracle.Encode[i];
            string actual = Fixture.Tokenizer.Decode(expected.Ids);
            if (actual != expected.Decoded)
                mismatches.Add($"[{string.Join(' ', expected.Ids)}]: expected {Escape(expected.Decoded)}, got {Escape(actual)}");
        }

        Assert.That(mismatches, Is.Empty, string.Join('\n', mismatches.Take(10)));
    }

    [Test]
    public void Decode_OfRandomAndByteHeavySequences_MatchesSentencePiece()
    {
        var mismatches = new List<string>();
        for (int i = 0; i < Fixture.DecodeSequences.Count; i++)
        {
            int[] ids = Fixture.DecodeSequences[i];
            string actual = Fixture.Tokenizer.Decode(ids);
            if (actual != Fixture.Oracle.Decode[i])
                mismatches.Add($"[{string.Join(' ', ids)}]: expected {Escape(Fixture.Oracle.Decode[i])}, got {Escape(actual)}");
        }

        Assert.That(mismatches, Is.Empty, $"{mismatches.Count} of {Fixture.DecodeSequences.Count} differ:\n" + string.Join('\n', mismatches.Take(10)));
    }

    [Test]
    public void PromptIds_MatchTheReference()
    {
        var builder = new PixelLmPromptBuilder(Fixture.Tokenizer);
        using (Assert.EnterMultipleScope())
        {
            for (int i = 0; i < Fixture.Questions.Count; i++)
                Assert.That(builder.Build(Fixture.Questions[i]), Is.EqualTo(Fixture.Oracle.Prompt[i]), Escape(Fixture.Questions[i]));
        }
    }

    [Test]
    public void Encode_LongText_IsFastAndCorrectInSize()
    {
        // 100k characters of mixed text. Measured well under a second on one core; the bound only
        // catches a quadratic regression (which takes minutes at this size) on a loaded CI machine.
        var text = new StringBuilder();
        IReadOnlyList<string> texts = Fixture.Texts;
        for (int i = 0; text.Length < 100_000; i++)
            text.Append(texts[i % texts.Count]).Append(' ');
        int length = char.IsHighSurrogate(text[99_999]) ? 99_999 : 100_000;
        string input = text.ToString(0, length);

        var watch = Stopwatch.StartNew();
        int[] ids = Fixture.Tokenizer.Encode(input);
        watch.Stop();

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        // Decoding restores the text exactly, except that a typed "▁" reads back as the space it stands for.
        Assert.That(Fixture.Tokenizer.Decode(ids), Is.EqualTo(input.Replace('\u2581', ' ')));
        TestContext.Out.WriteLine($"100k characters -> {ids.Length} ids in {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Test]
    public void Encode_LongRunOfOneCharacter_IsFast()
    {
        // A run of one repeated character is the worst case for a naive BPE (every pair merges).
        string input = new('a', 100_000);
        var watch = Stopwatch.StartNew();
        int[] ids = Fixture.Tokenizer.Encode(input);
        watch.Stop();

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(Fixture.Tokenizer.Decode(ids), Is.EqualTo(input));
        TestContext.Out.WriteLine($"100k 'a' -> {ids.Length} ids in {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    internal static string Escape(string text)
    {
        var escaped = new StringBuilder("\"");
        foreach (char c in text)
            escaped.Append(c < ' ' || c is '\u2028' or '\u0085' ? $"\\u{(int)c:x4}" : c.ToString());
        return escaped.Append('"').ToString();
    }
}
