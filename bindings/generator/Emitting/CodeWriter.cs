using System.Text;

namespace PixelLM.BindingsGenerator.Emitting;

/// <summary>Builds generated source text: LF line endings, four-space indentation, no trailing spaces.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder text = new();
    private int indent;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            text.Append(' ', indent * 4).Append(line);
        }

        text.Append('\n');
        return this;
    }

    public CodeWriter OpenBrace()
    {
        Line("{");
        indent++;
        return this;
    }

    public CodeWriter CloseBrace(string suffix = "")
    {
        indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => text.ToString();
}
