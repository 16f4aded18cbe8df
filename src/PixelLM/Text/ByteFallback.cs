using System.Buffers;
using System.Globalization;
using System.Text;

namespace PixelLM.Tokenization;

/// <summary>
/// SentencePiece's byte fallback: a character without a piece is written as one <c>&lt;0xXX&gt;</c>
/// token per UTF-8 byte, and decoding reassembles runs of those bytes into text.
/// </summary>
internal static class ByteFallback
{
    /// <summary>Parses a byte token's piece, <c>&lt;0xXX&gt;</c> with two upper-case hex digits.</summary>
    internal static bool TryParsePiece(string piece, out byte value)
    {
        value = 0;
        return piece.Length == 6
            && piece.StartsWith("<0x", StringComparison.Ordinal)
            && piece[5] == '>'
            && piece.AsSpan(3, 2).IndexOfAnyExcept("0123456789ABCDEF") < 0
            && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Appends the text of the leading bytes of <paramref name="pending"/> that are decided and removes
    /// them, keeping a valid but incomplete UTF-8 sequence at the end for more bytes to complete, unless
    /// <paramref name="final"/> says none will come.
    /// </summary>
    /// <remarks>
    /// Each byte that does not start a complete, valid sequence becomes one U+FFFD on its own, and
    /// decoding resumes at the next byte: that is what SentencePiece does (it is not the Unicode
    /// "maximal subpart" rule, which would give one U+FFFD for a truncated sequence).
    /// </remarks>
    /// <param name="pending">The undecided bytes; at most 4, since anything longer is decided.</param>
    /// <param name="count">How many bytes of <paramref name="pending"/> are in use; updated.</param>
    /// <param name="output">Where the decided text goes.</param>
    /// <param name="final">True when no more bytes will follow (the run of byte tokens has ended).</param>
    internal static void Drain(Span<byte> pending, ref int count, StringBuilder output, bool final)
    {
        Span<char> chars = stackalloc char[2];
        int start = 0;
        while (start < count)
        {
            OperationStatus status = Rune.DecodeFromUtf8(pending[start..count], out Rune rune, out int consumed);
            if (status == OperationStatus.Done)
            {
                output.Append(chars[..rune.EncodeToUtf16(chars)]);
                start += consumed;
            }
            else if (status == OperationStatus.NeedMoreData && !final)
            {
                break;
            }
            else
            {
                output.Append('\uFFFD');
                start++;
            }
        }

        pending[start..count].CopyTo(pending);
        count -= start;
    }
}
