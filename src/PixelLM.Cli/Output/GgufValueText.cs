using System.Globalization;
using System.Text;
using PixelLM.Gguf;

namespace PixelLM.Cli.Output;

/// <summary>
/// Short, one-line renderings of GGUF metadata values for tables: long strings are cut, control
/// characters escaped, and arrays shown as their length and type with the first few elements, e.g.
/// <c>[32000 × string] "&lt;unk&gt;", "&lt;s&gt;", "&lt;/s&gt;", …</c>.
/// </summary>
internal static class GgufValueText
{
    /// <summary>The most characters of a string value shown before it is cut with "…".</summary>
    internal const int MaxStringLength = 64;

    /// <summary>The most characters of an array's elements shown before the list is cut with "…".</summary>
    internal const int MaxArrayLength = 72;

    /// <summary>The most characters of one string element of an array.</summary>
    private const int MaxElementLength = 24;

    /// <summary>Renders <paramref name="value"/> in one line.</summary>
    internal static string Format(GgufValue value)
    {
        if (!value.IsArray)
            return FormatScalar(value, quote: false, MaxStringLength);

        var text = new StringBuilder();
        text.Append(ArrayHeader(value));
        long shown = 0;
        int elementsLength = 0;
        for (; shown < value.Count; shown++)
        {
            GgufValue element = value.GetElement(shown);
            string rendered = element.IsArray ? ArrayHeader(element) : FormatScalar(element, quote: true, MaxElementLength);
            if (shown > 0 && elementsLength + rendered.Length > MaxArrayLength)
                break;
            text.Append(shown == 0 ? " " : ", ").Append(rendered);
            elementsLength += rendered.Length + 2;
        }

        if (shown < value.Count)
            text.Append(", …");
        return text.ToString();
    }

    private static string ArrayHeader(GgufValue array) =>
        string.Create(CultureInfo.InvariantCulture, $"[{array.Count} × {GgufValue.GetTypeName(array.ElementType!.Value)}]");

    private static string FormatScalar(GgufValue value, bool quote, int maxLength) => value.Type switch
    {
        GgufValueType.UInt8 => value.AsUInt8().ToString(CultureInfo.InvariantCulture),
        GgufValueType.Int8 => value.AsInt8().ToString(CultureInfo.InvariantCulture),
        GgufValueType.UInt16 => value.AsUInt16().ToString(CultureInfo.InvariantCulture),
        GgufValueType.Int16 => value.AsInt16().ToString(CultureInfo.InvariantCulture),
        GgufValueType.UInt32 => value.AsUInt32().ToString(CultureInfo.InvariantCulture),
        GgufValueType.Int32 => value.AsInt32().ToString(CultureInfo.InvariantCulture),
        GgufValueType.UInt64 => value.AsUInt64().ToString(CultureInfo.InvariantCulture),
        GgufValueType.Int64 => value.AsInt64().ToString(CultureInfo.InvariantCulture),
        GgufValueType.Float32 => value.AsFloat32().ToString(CultureInfo.InvariantCulture),
        GgufValueType.Float64 => value.AsFloat64().ToString(CultureInfo.InvariantCulture),
        GgufValueType.Bool => value.AsBoolean() ? "true" : "false",
        GgufValueType.String => FormatString(value.AsString(), quote, maxLength),
        _ => $"<{value.TypeName}>",
    };

    /// <summary>Escapes control characters and cuts the text at <paramref name="maxLength"/> characters.</summary>
    internal static string FormatString(string text, bool quote, int maxLength)
    {
        var result = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        if (quote)
            result.Append('"');
        int visible = 0;
        bool cut = false;
        for (int i = 0; i < text.Length; i++)
        {
            if (visible >= maxLength)
            {
                cut = true;
                break;
            }

            char c = text[i];
            string? escaped = c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' when quote => "\\\"",
                '\\' when quote => "\\\\",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => null,
            };
            if (escaped is not null)
            {
                result.Append(escaped);
            }
            else
            {
                result.Append(c);
                // Keep a surrogate pair whole.
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    result.Append(text[++i]);
            }

            visible++;
        }

        if (quote)
            result.Append('"');
        if (cut)
            result.Append('…');
        return result.ToString();
    }
}
