using NUnit.Framework;
using PixelLM.Segmentation;
using PixelLM.Tests.Text;
using PixelLM.Tokenization;

namespace PixelLM.Tests.Segmentation;

public sealed class AnswerAssemblerTests
{
    private const int Width = 3;
    private static readonly int[] Codebook = [32003, 32004, 32005, 32006, 32007, 32008];

    private static Tokenizer Tokenizer => LlamaTokenizerFixture.Instance.Tokenizer;

    // Feeds text pieces (each encoded on its own with a dummy-prefix space, as the original tokenizer
    // treats text between added tokens) and codebook runs; each token's predictor state is [token index, 0, 1].
    private static (AnswerAssembler Assembler, List<CodebookGroup> Completed, string Streamed) Run(params object[] parts)
    {
        var assembler = new AnswerAssembler(Tokenizer.Vocabulary, Codebook, Width);
        var completed = new List<CodebookGroup>();
        var streamed = new System.Text.StringBuilder();
        int index = 0;
        foreach (object part in parts)
        {
            int[] ids = part is string text ? Tokenizer.Encode(text) : (int[])part;
            foreach (int id in ids)
            {
                var (delta, group) = assembler.Add(id, [index++, 0, 1]);
                streamed.Append(delta);
                if (group is not null)
                    completed.Add(group);
            }
        }
        streamed.Append(assembler.Finish());
        return (assembler, completed, streamed.ToString());
    }

    [Test]
    public void RemovesCodebookTokensAndLabelsEachTarget()
    {
        var (assembler, completed, streamed) = Run("The ellipse", Codebook, "and the box", Codebook, ".");
        Assert.That(assembler.Text, Is.EqualTo("The ellipse and the box."));
        Assert.That(streamed, Is.EqualTo(assembler.Text));
        Assert.That(completed, Has.Count.EqualTo(2));
        string Label(CodebookGroup g) => assembler.Text.Substring(g.Label.Start, g.Label.Length);
        Assert.That(Label(completed[0]), Is.EqualTo("The ellipse"));
        Assert.That(Label(completed[1]), Is.EqualTo("the box"));
        Assert.That(assembler.GroupsUnder(CodebookGroupRule.Original), Has.Count.EqualTo(2));
    }

    [Test]
    public void KeepsThePredictorStatesOfTheGroupInOrder()
    {
        int textTokens = Tokenizer.Encode("The ellipse").Length;
        var (_, completed, _) = Run("The ellipse", Codebook);
        float[] states = completed[0].PredictorStates;
        Assert.That(states, Has.Length.EqualTo(Codebook.Length * Width));
        for (int j = 0; j < Codebook.Length; j++)
            Assert.That(states[j * Width], Is.EqualTo(textTokens + j), $"state {j}");
    }

    [Test]
    public void GroupsByPositionWhateverTheCodebookIds()
    {
        // §13.4: identities are ignored; six codebook tokens in any order make a group.
        int[] shuffled = [Codebook[5], Codebook[0], Codebook[3], Codebook[3], Codebook[1], Codebook[2]];
        var (_, completed, _) = Run("a thing", shuffled);
        Assert.That(completed, Has.Count.EqualTo(1));
    }

    [Test]
    public void AnIncompleteTrailingGroupIsDroppedOrDropsEverythingUnderTheOriginalRule()
    {
        var (assembler, completed, _) = Run("The ellipse", Codebook, "and the box", Codebook[..4]);
        Assert.That(completed, Has.Count.EqualTo(1));
        Assert.That(assembler.PendingCodebookTokens, Is.EqualTo(4));
        Assert.That(assembler.GroupsUnder(CodebookGroupRule.CompleteGroups), Has.Count.EqualTo(1));
        Assert.That(assembler.GroupsUnder(CodebookGroupRule.Original), Is.Empty);
    }

    [Test]
    public void RefusesAStateOfTheWrongWidth()
    {
        var assembler = new AnswerAssembler(Tokenizer.Vocabulary, Codebook, Width);
        Assert.Throws<ArgumentException>(() => assembler.Add(Codebook[0], [1f, 2f]));
    }
}
