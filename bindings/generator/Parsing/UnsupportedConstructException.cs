namespace PixelLM.BindingsGenerator.Parsing;

/// <summary>
/// A C construct the bindings cannot mirror blittably (C bool, unions, inline arrays, varargs, bit
/// fields, ...). Thrown while mapping one declaration; the parser prefixes the header and line.
/// </summary>
/// <param name="line">The line of the offending part (a field) when it differs from the declaration's.</param>
internal sealed class UnsupportedConstructException(string reason, int? line = null) : Exception(reason)
{
    public int? Line { get; } = line;
}
