using System.Globalization;
using System.Numerics;

namespace PixelLM.BindingsGenerator.Parsing;

/// <summary>
/// Reads the body of an object-like macro as one integer literal: <c>1</c>, <c>0x10u</c>, <c>(-1)</c>.
/// Anything else (empty bodies, attributes, expressions) is not a constant.
/// </summary>
internal static class IntegerMacro
{
    public static bool TryParse(IReadOnlyList<string> bodyTokens, out string csharpType, out string value)
    {
        csharpType = string.Empty;
        value = string.Empty;
        var tokens = bodyTokens.ToList();
        while (tokens.Count >= 2 && tokens[0] == "(" && tokens[^1] == ")")
        {
            tokens = tokens.GetRange(1, tokens.Count - 2);
        }

        var negative = false;
        if (tokens.Count == 2 && (tokens[0] == "-" || tokens[0] == "+"))
        {
            negative = tokens[0] == "-";
            tokens.RemoveAt(0);
        }

        if (tokens.Count != 1 || !TryParseLiteral(tokens[0], out var magnitude, out var candidates))
        {
            return false;
        }

        var signed = negative ? -magnitude : magnitude;
        foreach (var candidate in candidates)
        {
            if (negative && (candidate == "uint" || candidate == "ulong"))
            {
                return false; // C would wrap it; not worth mirroring
            }

            if (Fits(candidate, signed))
            {
                csharpType = candidate;
                value = signed.ToString(CultureInfo.InvariantCulture);
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a C integer literal; <paramref name="candidates"/> are the C# types C11 6.4.4.1 would try, in order.</summary>
    private static bool TryParseLiteral(string token, out BigInteger magnitude, out string[] candidates)
    {
        magnitude = BigInteger.Zero;
        candidates = [];
        var text = token.ToLowerInvariant();
        var suffixStart = text.Length;
        while (suffixStart > 0 && (text[suffixStart - 1] == 'u' || text[suffixStart - 1] == 'l'))
        {
            suffixStart--;
        }

        var suffix = text[suffixStart..];
        var digits = text[..suffixStart];
        if (suffix is not ("" or "u" or "l" or "ul" or "lu" or "ll" or "ull" or "llu") || digits.Length == 0)
        {
            return false;
        }

        int radix;
        if (digits.StartsWith("0x", StringComparison.Ordinal))
        {
            radix = 16;
            digits = digits[2..];
        }
        else if (digits.Length > 1 && digits[0] == '0')
        {
            radix = 8;
            digits = digits[1..];
        }
        else
        {
            radix = 10;
        }

        if (digits.Length == 0)
        {
            return false;
        }

        foreach (var digit in digits)
        {
            var digitValue = digit switch
            {
                >= '0' and <= '9' => digit - '0',
                >= 'a' and <= 'f' => digit - 'a' + 10,
                _ => int.MaxValue,
            };
            if (digitValue >= radix)
            {
                return false;
            }

            magnitude = magnitude * radix + digitValue;
        }

        var isUnsigned = suffix.Contains('u');
        var isLong = suffix.Contains('l');
        var isDecimal = radix == 10;
        candidates = (isUnsigned, isLong, isDecimal) switch
        {
            (false, false, true) => ["int", "long"],
            (false, false, false) => ["int", "uint", "long", "ulong"],
            (true, false, _) => ["uint", "ulong"],
            (false, true, true) => ["long"],
            (false, true, false) => ["long", "ulong"],
            (true, true, _) => ["ulong"],
        };
        return true;
    }

    private static bool Fits(string csharpType, BigInteger value) => csharpType switch
    {
        "int" => value >= int.MinValue && value <= int.MaxValue,
        "uint" => value >= uint.MinValue && value <= uint.MaxValue,
        "long" => value >= long.MinValue && value <= long.MaxValue,
        "ulong" => value >= ulong.MinValue && value <= ulong.MaxValue,
        _ => false,
    };
}
