using NUnit.Framework;
using PixelLM.Segmentation;

namespace PixelLM.Tests.Segmentation;

public sealed class PhraseLabelTests
{
    [TestCase("The ellipse", 0, "The ellipse")]
    [TestCase("Sure, the small red triangle", 0, "the small red triangle")]
    [TestCase("The square is left of the green circle", 0, "the green circle")]
    [TestCase("Two mugs ", 0, "Two mugs")]
    [TestCase("It is the largest object: the blue square", 0, "the blue square")]
    [TestCase("", 0, "")]
    public void FindsThePhraseBeforeTheCodebookTokens(string text, int floor, string expected)
    {
        TextSpan span = PhraseLabel.Find(text, text.Length, floor);
        Assert.That(text.Substring(span.Start, span.Length), Is.EqualTo(expected));
    }

    [Test]
    public void NeverReachesBackPastThePreviousMask()
    {
        const string text = "The ellipse and the box";
        int floor = "The ellipse".Length;
        TextSpan span = PhraseLabel.Find(text, text.Length, floor);
        Assert.That(text.Substring(span.Start, span.Length), Is.EqualTo("the box"));

        const string bare = "red cube blue cube";
        int bareFloor = "red cube".Length;
        TextSpan second = PhraseLabel.Find(bare, bare.Length, bareFloor);
        Assert.That(bare.Substring(second.Start, second.Length), Is.EqualTo("blue cube"));
    }

    [Test]
    public void RejectsAnAnchorOutsideTheText()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PhraseLabel.Find("abc", 4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PhraseLabel.Find("abc", 2, 3));
    }
}
