using NUnit.Framework;
using PixelLM.Tokenization;

namespace PixelLM.Tests.Text;

/// <summary>Added tokens: found in the GGUF vocabulary, inserted only by id, never made from user text (§15.3).</summary>
[TestFixture]
public sealed class AddedTokenTests
{
    private static Tokenizer Tokenizer => LlamaTokenizerFixture.Instance.Tokenizer;

    [Test]
    public void Vocabulary_HasThe7BAddedTokensAfterTheBasePieces()
    {
        Vocabulary vocabulary = Tokenizer.Vocabulary;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(vocabulary.Count, Is.EqualTo(32009));
            Assert.That(vocabulary.FirstAddedTokenId, Is.EqualTo(32000));
            for (int i = 0; i < LlamaTokenizerFixture.AddedTokens.Length; i++)
                Assert.That(vocabulary.AddedTokens[LlamaTokenizerFixture.AddedTokens[i]], Is.EqualTo(32000 + i));
            Assert.That(vocabulary.IsAddedToken(32003), Is.True);
            Assert.That(vocabulary.IsAddedToken(31999), Is.False);
            Assert.That((vocabulary.BosId, vocabulary.EosId, vocabulary.UnknownId, vocabulary.PaddingId, vocabulary.AddBos), Is.EqualTo((1, 2, 0, (int?)0, true)));
        }
    }

    [TestCase("[SEG0]")]
    [TestCase("[SEG5]")]
    [TestCase("<im_start>")]
    [TestCase("<im_end>")]
    [TestCase("<im_patch>")]
    [TestCase("<s>")]
    [TestCase("</s>")]
    [TestCase("<unk>")]
    [TestCase("<0x41>")]
    [TestCase("Segment it [SEG0][SEG1]</s><s> <im_start>x<im_end>")]
    public void UserText_NeverBecomesSpecialIds(string text)
    {
        int[] ids = Tokenizer.Encode(text);
        Vocabulary vocabulary = Tokenizer.Vocabulary;
        Assert.That(
            ids.Where(id => vocabulary.IsAddedToken(id) || vocabulary.GetTokenType(id) is TokenType.Control or TokenType.Unknown),
            Is.Empty);
        Assert.That(Tokenizer.Decode(ids), Is.EqualTo(text));
    }

    [Test]
    public void Segments_StripWhitespaceNextToTokens_AndEncodeEachTextOnItsOwn()
    {
        int seg0 = Tokenizer.Vocabulary.AddedTokens["[SEG0]"];
        int seg1 = Tokenizer.Vocabulary.AddedTokens["[SEG1]"];
        int[] ids = Tokenizer.EncodeSegments(
        [
            PromptSegment.FromText("The cat \n"),
            PromptSegment.FromToken(seg0),
            PromptSegment.FromToken(seg1),
            PromptSegment.FromText("\t and the dog"),
        ]);
        Assert.That(ids, Is.EqualTo(Tokenizer.Encode("The cat").Append(seg0).Append(seg1).Concat(Tokenizer.Encode("and the dog"))));
    }

    [Test]
    public void Segments_TextAloneIsPlainEncoding_AndWhitespaceOnlyTextVanishes()
    {
        int eos = Tokenizer.Vocabulary.EosId;
        Assert.That(Tokenizer.EncodeSegments([PromptSegment.FromText("  two  spaces ")]), Is.EqualTo(Tokenizer.Encode("  two  spaces ")));
        Assert.That(Tokenizer.EncodeSegments([PromptSegment.FromText(" \n "), PromptSegment.FromToken(eos)]), Is.EqualTo(new[] { eos }));
        Assert.That(Tokenizer.EncodeSegments([]), Is.Empty);
        Assert.That(Tokenizer.EncodeSegments([default, PromptSegment.FromText("a")]), Is.EqualTo(Tokenizer.Encode("a")), "the default segment is empty text");
    }

    [Test]
    public void Segments_RejectIdsOutsideTheVocabulary()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.EncodeSegments([PromptSegment.FromToken(Tokenizer.Vocabulary.Count)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptSegment.FromToken(PixelLmPromptBuilder.ImagePlaceholderId));
    }

    [Test]
    public void Prompt_HasOneBos_TheImageSlot_AndThePlainQuestion()
    {
        int[] ids = new PixelLmPromptBuilder(Tokenizer).Build("Is [SEG0] here?");
        Vocabulary vocabulary = Tokenizer.Vocabulary;
        int image = Array.IndexOf(ids, PixelLmPromptBuilder.ImagePlaceholderId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ids[0], Is.EqualTo(vocabulary.BosId));
            Assert.That(ids.Count(id => id == vocabulary.BosId), Is.EqualTo(1));
            Assert.That(ids[image - 1], Is.EqualTo(vocabulary.AddedTokens["<im_start>"]));
            Assert.That(ids[image + 1], Is.EqualTo(vocabulary.AddedTokens["<im_end>"]));
            Assert.That(ids[(image + 2)..], Is.EqualTo(Tokenizer.Encode("Is [SEG0] here? ASSISTANT:")));
        }
    }

    [Test]
    public void FollowUp_ClosesTheAnswerAndOpensTheNextTurnAsPlainText()
    {
        int[] ids = new PixelLmPromptBuilder(Tokenizer).BuildFollowUp("And [SEG1]?");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ids[0], Is.EqualTo(Tokenizer.Vocabulary.EosId));
            Assert.That(ids[1..], Is.EqualTo(Tokenizer.Encode("USER: And [SEG1]? ASSISTANT:")));
            Assert.That(ids[1..], Has.None.EqualTo(Tokenizer.Vocabulary.AddedTokens["[SEG1]"]));
        }
    }
}
