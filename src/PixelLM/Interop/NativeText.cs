using System.Runtime.InteropServices;
using System.Text;

namespace PixelLM.Interop;

/// <summary>
/// Decodes UTF-8 text borrowed from the native library. Invalid UTF-8 never throws: each bad sequence
/// becomes U+FFFD, because file contents (metadata strings, tensor names) are untrusted input.
/// </summary>
internal static unsafe class NativeText
{
    // Encoding.UTF8 replaces invalid sequences instead of throwing; stated here so no one swaps in a
    // throwing UTF8Encoding(false, true).
    private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Decodes a NUL-terminated UTF-8 string; a null pointer gives "".</summary>
    internal static string FromNullTerminated(byte* text)
    {
        if (text == null)
            return string.Empty;
        return s_utf8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text));
    }

    /// <summary>Decodes a NUL-terminated UTF-8 string; a null pointer gives null.</summary>
    internal static string? FromNullTerminatedOrNull(byte* text) => text == null ? null : FromNullTerminated(text);

    /// <summary>Decodes <paramref name="length"/> bytes of UTF-8 (not NUL-terminated).</summary>
    internal static string FromUtf8(byte* text, ulong length)
    {
        if (length == 0)
            return string.Empty;
        if (text == null || length > int.MaxValue)
            throw new PixelLmFormatException($"A string of {length} bytes is too long to decode.", string.Empty);
        return s_utf8.GetString(text, (int)length);
    }

    /// <summary>Decodes UTF-8 bytes.</summary>
    internal static string FromUtf8(ReadOnlySpan<byte> text) => s_utf8.GetString(text);

    /// <summary>The UTF-8 encoding used for text passed to the library (replacement on lone surrogates).</summary>
    internal static Encoding Utf8 => s_utf8;
}
