using System.Text.RegularExpressions;

namespace PixelLM.Evaluation;

/// <summary>
/// An answer as the exact-match metric compares it (the reference's <c>seg_metrics.answer_text</c>):
/// codebook tokens removed, whitespace runs collapsed to one space and trimmed, no space before
/// punctuation. "the red circle [SEG0]…[SEG5] ." becomes "the red circle.".
/// </summary>
public static partial class AnswerText
{
    /// <summary>Normalises <paramref name="answer"/>.</summary>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        string text = CodebookToken().Replace(answer, " ");
        text = Whitespace().Replace(text, " ").Trim();
        return SpaceBeforePunctuation().Replace(text, "$1");
    }

    [GeneratedRegex(@"\[SEG\d+\]")]
    private static partial Regex CodebookToken();

    // Python's \s: Unicode whitespace, as .NET's \s.
    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@" ([.,:;?!])")]
    private static partial Regex SpaceBeforePunctuation();
}
