namespace PixelLM;

/// <summary>
/// The base of every error reported by the PixelLM native library. Catch this type to handle any
/// failed native call; catch a subclass (for example <see cref="PixelLmFormatException"/>) to handle
/// one kind. Cancellation is the exception: it surfaces as <see cref="PixelLmCanceledException"/>, an
/// <see cref="OperationCanceledException"/>, so that ordinary .NET cancellation handling sees it.
/// </summary>
public class PixelLmException : Exception
{
    /// <summary>Creates an exception for a failed call.</summary>
    /// <param name="status">The status the call failed with.</param>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmException(PixelLmStatus status, string message, string nativeMessage)
        : this(status, message, nativeMessage, null)
    {
    }

    /// <summary>Creates an exception for a failed call, with the exception that caused it.</summary>
    /// <param name="status">The status the call failed with.</param>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    /// <param name="innerException">The exception that caused this one, or null.</param>
    public PixelLmException(PixelLmStatus status, string message, string nativeMessage, Exception? innerException)
        : base(message, innerException)
    {
        Status = status;
        NativeMessage = nativeMessage ?? string.Empty;
    }

    /// <summary>The status the call failed with.</summary>
    public PixelLmStatus Status { get; }

    /// <summary>
    /// The message the native library stored for the failed call (<c>pxl_last_error()</c>), read on the
    /// calling thread right after the call; empty when the error was detected on the managed side.
    /// </summary>
    public string NativeMessage { get; }
}
