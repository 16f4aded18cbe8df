namespace PixelLM.Tokenization;

/// <summary>
/// Whitespace as Python's <c>str.strip()</c> sees it, which is what the Hugging Face tokenizer strips
/// around added tokens: .NET's whitespace plus the separators U+001C..U+001F.
/// </summary>
internal static class PythonWhitespace
{
    internal static bool IsWhiteSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    internal static ReadOnlySpan<char> TrimStart(ReadOnlySpan<char> text)
    {
        int start = 0;
        while (start < text.Length && IsWhiteSpace(text[start]))
            start++;
        return text[start..];
    }

    internal static ReadOnlySpan<char> TrimEnd(ReadOnlySpan<char> text)
    {
        int end = text.Length;
        while (end > 0 && IsWhiteSpace(text[end - 1]))
            end--;
        return text[..end];
    }
}
