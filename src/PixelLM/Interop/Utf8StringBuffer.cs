using System.Buffers;

namespace PixelLM.Interop;

/// <summary>
/// A string encoded as NUL-terminated UTF-8 for one native call: in a caller-provided stack buffer when
/// it fits, else in an <see cref="ArrayPool{T}"/> array returned on <see cref="Dispose"/>. Never ANSI.
/// </summary>
/// <example>
/// <code>
/// Span&lt;byte&gt; stack = stackalloc byte[Utf8StringBuffer.StackSize];
/// using var key8 = new Utf8StringBuffer(key, stack, nameof(key));
/// fixed (byte* p = key8.WithTerminator) { ... }
/// </code>
/// </example>
internal ref struct Utf8StringBuffer
{
    /// <summary>A stack buffer size that fits typical keys, names and paths.</summary>
    internal const int StackSize = 256;

    private byte[]? _rented;

    /// <summary>Encodes <paramref name="value"/>; rejects embedded NUL characters, which C would cut at.</summary>
    /// <param name="value">The string to encode.</param>
    /// <param name="stackBuffer">Scratch space used when the encoded string fits.</param>
    /// <param name="parameterName">The caller's parameter name, for the argument exceptions.</param>
    internal Utf8StringBuffer(string value, Span<byte> stackBuffer, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Contains('\0'))
            throw new ArgumentException("The string must not contain NUL characters.", parameterName);

        int maxBytes = NativeText.Utf8.GetMaxByteCount(value.Length) + 1;
        Span<byte> buffer = stackBuffer;
        if (maxBytes > stackBuffer.Length)
        {
            int exactBytes = NativeText.Utf8.GetByteCount(value) + 1;
            if (exactBytes > stackBuffer.Length)
            {
                _rented = ArrayPool<byte>.Shared.Rent(exactBytes);
                buffer = _rented;
            }
        }

        int length = NativeText.Utf8.GetBytes(value, buffer);
        buffer[length] = 0;
        WithTerminator = buffer[..(length + 1)];
    }

    /// <summary>The encoded bytes including the terminating NUL; pin it with <c>fixed</c> for the call.</summary>
    internal Span<byte> WithTerminator { get; }

    /// <summary>The encoded bytes without the terminating NUL.</summary>
    internal readonly Span<byte> Bytes => WithTerminator[..^1];

    /// <summary>Returns a pooled buffer, if one was rented.</summary>
    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
