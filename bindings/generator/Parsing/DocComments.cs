using PixelLM.BindingsGenerator.Model;

namespace PixelLM.BindingsGenerator.Parsing;

/// <summary>Turns the raw text of a doc comment (<c>/** ... */</c> or <c>///</c> lines) into paragraphs.</summary>
internal static class DocComments
{
    public static Documentation Parse(string? rawComment)
    {
        if (string.IsNullOrWhiteSpace(rawComment))
        {
            return Documentation.None;
        }

        var text = rawComment.Replace("\r\n", "\n").Trim();
        List<string> lines = text.StartsWith("/*", StringComparison.Ordinal)
            ? BlockCommentLines(text)
            : LineCommentLines(text);

        var paragraphs = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                if (current.Count > 0)
                {
                    paragraphs.Add(current);
                    current = new List<string>();
                }
            }
            else
            {
                current.Add(line);
            }
        }

        if (current.Count > 0)
        {
            paragraphs.Add(current);
        }

        return paragraphs.Count == 0 ? Documentation.None : new Documentation(paragraphs);
    }

    /// <summary>
    /// Finds the doc comment that ends on the line just above <paramref name="declarationOffset"/>'s line.
    /// libclang attaches comments to declarations only; macros need this.
    /// </summary>
    public static string? FindPrecedingDocComment(string source, int declarationOffset)
    {
        var lineStart = declarationOffset == 0 ? 0 : source.LastIndexOf('\n', declarationOffset - 1) + 1;
        var linesAbove = source[..lineStart].Replace("\r\n", "\n").Split('\n');
        var index = linesAbove.Length - 2; // the last element is the empty text after the final newline
        if (index < 0)
        {
            return null;
        }

        var lineAbove = linesAbove[index].Trim();
        if (lineAbove.EndsWith("*/", StringComparison.Ordinal))
        {
            var commentLines = new List<string>();
            for (; index >= 0; index--)
            {
                var line = linesAbove[index].Trim();
                commentLines.Insert(0, line);
                if (line.StartsWith("/*", StringComparison.Ordinal))
                {
                    var comment = string.Join("\n", commentLines);
                    var isDoc = comment.StartsWith("/**", StringComparison.Ordinal) && !comment.StartsWith("/**/", StringComparison.Ordinal);
                    return isDoc ? comment : null;
                }
            }

            return null;
        }

        var docLines = new List<string>();
        for (; index >= 0 && linesAbove[index].TrimStart().StartsWith("///", StringComparison.Ordinal); index--)
        {
            docLines.Insert(0, linesAbove[index].Trim());
        }

        return docLines.Count == 0 ? null : string.Join("\n", docLines);
    }

    private static List<string> BlockCommentLines(string text)
    {
        // "/**" or "/*!", an optional "<" for trailing member comments, then the body up to "*/".
        var body = text[3..];
        if (body.StartsWith('<'))
        {
            body = body[1..];
        }

        if (body.EndsWith("*/", StringComparison.Ordinal))
        {
            body = body[..^2];
        }

        var lines = new List<string>();
        foreach (var rawLine in body.Split('\n'))
        {
            var line = rawLine.TrimStart(' ', '\t');
            if (line.StartsWith('*'))
            {
                line = line[1..];
                if (line.StartsWith(' '))
                {
                    line = line[1..];
                }
            }

            lines.Add(line.TrimEnd());
        }

        return lines;
    }

    private static List<string> LineCommentLines(string text)
    {
        var lines = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimStart(' ', '\t');
            foreach (var marker in new[] { "///<", "///", "//!<", "//!" })
            {
                if (line.StartsWith(marker, StringComparison.Ordinal))
                {
                    line = line[marker.Length..];
                    break;
                }
            }

            if (line.StartsWith(' '))
            {
                line = line[1..];
            }

            lines.Add(line.TrimEnd());
        }

        return lines;
    }
}
