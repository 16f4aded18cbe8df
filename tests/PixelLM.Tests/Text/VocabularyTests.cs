using NUnit.Framework;
using PixelLM.Gguf;
using PixelLM.Tests.Support;
using PixelLM.Tokenization;

namespace PixelLM.Tests.Text;

/// <summary>
/// Reading the vocabulary from GGUF (and its errors), and the BPE rules that LLaMA's own vocabulary
/// does not exercise: user-defined pieces inside text, unused pieces, ties between equal scores.
/// </summary>
[TestFixture]
public sealed class VocabularyTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void CreateTemp() => _temp = new TempDirectory();

    [TearDown]
    public void DeleteTemp() => _temp.Dispose();

    [Test]
    public void UserDefinedPieces_OfTheModel_AreMatchedWholeInText_AddedTokensAreNot()
    {
        Tokenizer tokenizer = Small(
            ("▁", -1, TokenType.Normal), ("a", -2, TokenType.Normal), ("b", -3, TokenType.Normal),
            ("▁a", -4, TokenType.Normal), ("ab", -0.5f, TokenType.Normal), ("<ud>", 0, TokenType.UserDefined),
            ("x", -6, TokenType.Normal), ("[SEG0]", 0, TokenType.UserDefined));

        Assert.That(Pieces(tokenizer, "a<ud>b"), Is.EqualTo(new[] { "▁a", "<ud>", "b" }), "the user-defined piece is one unit and blocks merges across it");
        Assert.That(tokenizer.Vocabulary.AddedTokens.Keys, Is.EqualTo(new[] { "[SEG0]" }));
        Assert.That(tokenizer.Encode("[SEG0]"), Does.Not.Contain(tokenizer.Vocabulary.AddedTokens["[SEG0]"]));
        Assert.That(tokenizer.Encode("[SEG0]").Skip(1), Is.All.EqualTo(tokenizer.Vocabulary.UnknownId), "no byte tokens here, so unknown");
    }

    [Test]
    public void UnusedPieces_AreSplitBackIntoThePiecesThatFormedThem()
    {
        Tokenizer tokenizer = Small(
            ("▁", -1, TokenType.Normal), ("a", -2, TokenType.Normal), ("b", -3, TokenType.Normal),
            ("▁a", -4, TokenType.Normal), ("ab", -5, TokenType.Normal), ("▁ab", -0.5f, TokenType.Unused));

        Assert.That(Pieces(tokenizer, "ab"), Is.EqualTo(new[] { "▁a", "b" }));
    }

    [Test]
    public void EqualScores_MergeTheLeftmostPairFirst()
    {
        Tokenizer tokenizer = Small(("▁", -1, TokenType.Normal), ("a", -2, TokenType.Normal), ("aa", -3, TokenType.Normal));
        Assert.That(Pieces(tokenizer, "aaa"), Is.EqualTo(new[] { "▁", "aa", "a" }));
    }

    [Test]
    public void MissingModelKey_NamesTheKey()
    {
        var error = Assert.Throws<TokenizerVocabularyException>(() => Load(w => w.SetString("general.architecture", "llama"), skipModel: true));
        Assert.That(error!.Key, Is.EqualTo(Vocabulary.ModelKey));
        Assert.That(error.Message, Does.Contain(Vocabulary.ModelKey).And.Contain("missing"));
    }

    [Test]
    public void OtherTokenizerModel_IsRefused()
    {
        var error = Assert.Throws<TokenizerVocabularyException>(() => Load(w => w.SetString(Vocabulary.ModelKey, "gpt2"), skipModel: true));
        Assert.That(error!.Key, Is.EqualTo(Vocabulary.ModelKey));
        Assert.That(error.Message, Does.Contain("gpt2"));
    }

    [Test]
    public void ArraysOfDifferentLengths_NameTheShorterKey()
    {
        var error = Assert.Throws<TokenizerVocabularyException>(() => Load(w => w.SetArray<float>(Vocabulary.ScoresKey, [0f, 0f]), skipScores: true));
        Assert.That(error!.Key, Is.EqualTo(Vocabulary.ScoresKey));
        Assert.That(error.Message, Does.Contain("2 entries"));
    }

    [Test]
    public void MissingTypes_NameTheKey()
    {
        var error = Assert.Throws<TokenizerVocabularyException>(() => Load(_ => { }, skipTypes: true));
        Assert.That(error!.Key, Is.EqualTo(Vocabulary.TokenTypesKey));
    }

    [Test]
    public void ScoresOfTheWrongType_NameTheKey()
    {
        var error = Assert.Throws<TokenizerVocabularyException>(() => Load(w => w.SetArray<double>(Vocabulary.ScoresKey, [0, 0, 0, 0]), skipScores: true));
        Assert.That(error!.Key, Is.EqualTo(Vocabulary.ScoresKey));
        Assert.That(error.Message, Does.Contain("array[float64]"));
    }

    [Test]
    public void SpecialIdOutsideTheVocabulary_NamesTheKey()
    {
        var error = Assert.Throws<TokenizerVocabularyException>(() => Load(w => w.SetUInt32(Vocabulary.EosIdKey, 99)));
        Assert.That(error!.Key, Is.EqualTo(Vocabulary.EosIdKey));
    }

    [Test]
    public void MalformedBytePiece_IsRefused()
    {
        var error = Assert.Throws<TokenizerVocabularyException>(() => new Vocabulary(
            ["<unk>", "<s>", "</s>", "<0xZZ>"], [0f, 0f, 0f, 0f], [TokenType.Unknown, TokenType.Control, TokenType.Control, TokenType.Byte]));
        Assert.That(error!.Key, Is.EqualTo(Vocabulary.TokensKey));
    }

    [Test]
    public void PromptBuilder_NeedsTheImageTokens()
    {
        Tokenizer tokenizer = Small(("▁", -1, TokenType.Normal));
        var error = Assert.Throws<TokenizerVocabularyException>(() => new PixelLmPromptBuilder(tokenizer));
        Assert.That(error!.Message, Does.Contain("<im_start>"));
    }

    /// <summary>A vocabulary of &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt; and the given pieces (no byte tokens).</summary>
    private static Tokenizer Small(params (string Piece, float Score, TokenType Type)[] pieces) =>
        new(new Vocabulary(
            ["<unk>", "<s>", "</s>", .. pieces.Select(p => p.Piece)],
            [0f, 0f, 0f, .. pieces.Select(p => p.Score)],
            [TokenType.Unknown, TokenType.Control, TokenType.Control, .. pieces.Select(p => p.Type)]));

    private static string[] Pieces(Tokenizer tokenizer, string text) =>
        [.. tokenizer.Encode(text).Select(tokenizer.Vocabulary.GetPiece)];

    /// <summary>Writes a four-entry vocabulary GGUF, changed by <paramref name="change"/>, and reads it back.</summary>
    private Vocabulary Load(Action<GgufWriter> change, bool skipModel = false, bool skipScores = false, bool skipTypes = false)
    {
        string path = _temp.File("vocabulary.gguf");
        using (var writer = new GgufWriter())
        {
            if (!skipModel)
                writer.SetString(Vocabulary.ModelKey, Vocabulary.LlamaModel);
            writer.SetStringArray(Vocabulary.TokensKey, "<unk>", "<s>", "</s>", "▁a");
            if (!skipScores)
                writer.SetArray<float>(Vocabulary.ScoresKey, [0f, 0f, 0f, -1f]);
            if (!skipTypes)
                writer.SetArray<int>(Vocabulary.TokenTypesKey, [2, 3, 3, 1]);
            change(writer);
            writer.Begin(path);
            writer.Finish();
        }

        using GgufFile file = GgufFile.Open(path);
        return Vocabulary.FromMetadata(file.Metadata);
    }
}
