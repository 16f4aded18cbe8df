using System.Diagnostics.CodeAnalysis;

namespace PixelLM.Interop;

/// <summary>
/// The one choke point between native statuses and .NET exceptions: every fallible native call's
/// result goes through <see cref="ThrowIfFailed(pxl_status, string?)"/>, which reads the thread-local
/// message right away (before any other native call on this thread can replace it) and throws the
/// exception type that matches the status.
/// </summary>
internal static unsafe class NativeStatus
{
    /// <summary>Throws the exception for <paramref name="status"/> unless it is <c>PXL_STATUS_OK</c>.</summary>
    /// <param name="status">The status a native call returned, on this thread, just now.</param>
    /// <param name="subject">
    /// What the call was about (a file path, a key, a tensor name), put in front of the message when the
    /// native message does not already mention it; null for none.
    /// </param>
    internal static void ThrowIfFailed(pxl_status status, string? subject = null)
    {
        if (status != pxl_status.PXL_STATUS_OK)
            Throw(status, subject);
    }

    [DoesNotReturn]
    private static void Throw(pxl_status status, string? subject)
    {
        // Read first: the message is only valid until the next native call on this thread.
        string nativeMessage = NativeText.FromNullTerminated(NativeMethods.pxl_last_error());
        throw Create((PixelLmStatus)(int)status, nativeMessage, subject);
    }

    /// <summary>Builds the exception for a failed status and the native message that came with it.</summary>
    internal static Exception Create(PixelLmStatus status, string nativeMessage, string? subject)
    {
        string message = BuildMessage(status, nativeMessage, subject);
        return status switch
        {
            PixelLmStatus.InvalidArgument => new PixelLmInvalidArgumentException(message, nativeMessage),
            PixelLmStatus.IOError => new PixelLmIOException(message, nativeMessage),
            PixelLmStatus.InvalidFormat => new PixelLmFormatException(message, nativeMessage),
            PixelLmStatus.Unsupported => new PixelLmUnsupportedException(message, nativeMessage),
            PixelLmStatus.OutOfMemory => new PixelLmOutOfMemoryException(message, nativeMessage),
            PixelLmStatus.BufferTooSmall => new PixelLmBufferTooSmallException(message, nativeMessage),
            PixelLmStatus.NotFound => new PixelLmNotFoundException(message, nativeMessage),
            PixelLmStatus.TypeMismatch => new PixelLmTypeMismatchException(message, nativeMessage),
            PixelLmStatus.InvalidState => new PixelLmInvalidStateException(message, nativeMessage),
            PixelLmStatus.Canceled => new PixelLmCanceledException(message, nativeMessage),
            PixelLmStatus.InternalError => new PixelLmInternalException(message, nativeMessage),
            PixelLmStatus.ContextFull => new PixelLmContextFullException(message, nativeMessage),
            // A status added to the library after these bindings were generated.
            _ => new PixelLmException(status, message, nativeMessage),
        };
    }

    internal static string BuildMessage(PixelLmStatus status, string nativeMessage, string? subject)
    {
        string message = nativeMessage.Length > 0
            ? nativeMessage
            : $"PixelLM native call failed with status {StatusName(status)}";
        if (!string.IsNullOrEmpty(subject) && !message.Contains(subject, StringComparison.Ordinal))
            message = $"{subject}: {message}";
        return message;
    }

    private static string StatusName(PixelLmStatus status) => status switch
    {
        PixelLmStatus.Ok => "ok",
        PixelLmStatus.InvalidArgument => "invalid_argument",
        PixelLmStatus.IOError => "io_error",
        PixelLmStatus.InvalidFormat => "invalid_format",
        PixelLmStatus.Unsupported => "unsupported",
        PixelLmStatus.OutOfMemory => "out_of_memory",
        PixelLmStatus.BufferTooSmall => "buffer_too_small",
        PixelLmStatus.NotFound => "not_found",
        PixelLmStatus.TypeMismatch => "type_mismatch",
        PixelLmStatus.InvalidState => "invalid_state",
        PixelLmStatus.Canceled => "cancelled",
        PixelLmStatus.InternalError => "internal_error",
        PixelLmStatus.ContextFull => "context_full",
        _ => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
