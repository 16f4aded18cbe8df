namespace PixelLM.Segmentation;

/// <summary>
/// Finds the phrase a model tied a mask to (spec §15.5): the noun phrase just before the mask's codebook
/// tokens. PixelLM writes each target as "the red triangle [SEG0]…[SEG5]", so the phrase ends where the
/// codebook tokens were and starts after the previous clause break (punctuation, "and"/"or", or the
/// previous mask), moved up to the last article or demonstrative inside that clause so that "is left of
/// the blue circle" gives "the blue circle".
/// </summary>
internal static class PhraseLabel
{
    private static readonly string[] ClauseWords = ["and", "or", "but", "is", "are", "was", "were"];
    private static readonly string[] PhraseStarts = ["the", "a", "an", "this", "that", "these", "those"];

    /// <summary>The span of the label ending at <paramref name="anchor"/>, starting no earlier than <paramref name="floor"/>.</summary>
    /// <param name="text">The answer text.</param>
    /// <param name="anchor">Where the codebook tokens were (the label ends here, trailing blanks excluded).</param>
    /// <param name="floor">Where the previous mask's codebook tokens were, or 0.</param>
    public static TextSpan Find(string text, int anchor, int floor)
    {
        ArgumentNullException.ThrowIfNull(text);
        if ((uint)anchor > (uint)text.Length || floor < 0 || floor > anchor)
            throw new ArgumentOutOfRangeException(nameof(anchor), $"anchor {anchor} / floor {floor} outside the text of {text.Length} characters");
        int end = anchor;
        while (end > floor && char.IsWhiteSpace(text[end - 1]))
            end--;
        int start = ClauseStart(text, floor, end);
        int phrase = LastWordStart(text, start, end, PhraseStarts);
        if (phrase >= 0)
            start = phrase;
        while (start < end && (char.IsWhiteSpace(text[start]) || char.IsPunctuation(text[start])))
            start++;
        return new TextSpan(start, end - start);
    }

    private static int ClauseStart(string text, int floor, int end)
    {
        for (int i = end - 1; i >= floor; i--)
        {
            char c = text[i];
            if (c is ',' or ';' or ':' or '.' or '!' or '?' or '\n' or '(' or ')')
                return i + 1;
        }
        int word = LastWordStart(text, floor, end, ClauseWords, after: true);
        return word >= 0 ? word : floor;
    }

    // The start of the last whole word of `words` in text[begin, end) (case-insensitive), or, with
    // `after`, the index just past it; -1 if none.
    private static int LastWordStart(string text, int begin, int end, string[] words, bool after = false)
    {
        int i = end;
        while (i > begin)
        {
            int wordEnd = i;
            while (wordEnd > begin && !char.IsLetter(text[wordEnd - 1]))
                wordEnd--;
            int wordStart = wordEnd;
            while (wordStart > begin && char.IsLetter(text[wordStart - 1]))
                wordStart--;
            if (wordStart == wordEnd)
                return -1;
            ReadOnlySpan<char> word = text.AsSpan(wordStart, wordEnd - wordStart);
            foreach (string candidate in words)
            {
                // The last word before the anchor is the phrase's own noun: never cut it away.
                if (wordEnd != end && word.Equals(candidate, StringComparison.OrdinalIgnoreCase))
                    return after ? wordEnd : wordStart;
            }
            i = wordStart;
        }
        return -1;
    }
}
