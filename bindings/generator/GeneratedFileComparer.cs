namespace PixelLM.BindingsGenerator;

/// <summary>Compares generated text with what is on disk and describes the first difference.</summary>
public static class GeneratedFileComparer
{
    /// <summary>
    /// Null when <paramref name="actual"/> equals <paramref name="expected"/> byte for byte; otherwise the
    /// first differing line, e.g. <c>line 12: expected "..." but found "..."</c>.
    /// </summary>
    public static string? FirstDifference(string expected, string? actual)
    {
        if (actual is null)
        {
            return "the file does not exist";
        }

        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return null;
        }

        if (actual.Contains('\r', StringComparison.Ordinal) && !expected.Contains('\r', StringComparison.Ordinal))
        {
            return "the file has CR LF line endings; generated files use LF (check git's core.autocrlf / .gitattributes)";
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var count = Math.Max(expectedLines.Length, actualLines.Length);
        for (var i = 0; i < count; i++)
        {
            var expectedLine = i < expectedLines.Length ? Quote(expectedLines[i]) : "(end of file)";
            var actualLine = i < actualLines.Length ? Quote(actualLines[i]) : "(end of file)";
            if (expectedLine != actualLine)
            {
                return $"line {i + 1}: expected {expectedLine} but found {actualLine}";
            }
        }

        return "the files differ in a way that does not show line by line";
    }

    private static string Quote(string line) => "\"" + line + "\"";
}
