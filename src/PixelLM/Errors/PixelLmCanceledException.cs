namespace PixelLM;

/// <summary>
/// A long native call stopped early because it was cancelled (<see cref="PixelLmStatus.Canceled"/>).
/// It derives from <see cref="OperationCanceledException"/> rather than <see cref="PixelLmException"/>:
/// cancellation is not an error, and code that handles cancellation the .NET way
/// (<c>catch (OperationCanceledException)</c>) must see it, while <c>catch (PixelLmException)</c> blocks
/// that report failures must not swallow it.
/// </summary>
public class PixelLmCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmCanceledException(string message, string nativeMessage)
        : this(message, nativeMessage, CancellationToken.None)
    {
    }

    /// <summary>Creates the exception for a cancellation requested through <paramref name="token"/>.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    /// <param name="token">The token whose cancellation stopped the call.</param>
    public PixelLmCanceledException(string message, string nativeMessage, CancellationToken token)
        : base(message, token)
    {
        NativeMessage = nativeMessage ?? string.Empty;
    }

    /// <summary>Always <see cref="PixelLmStatus.Canceled"/>.</summary>
    public PixelLmStatus Status => PixelLmStatus.Canceled;

    /// <summary>The message the native library stored for the cancelled call, or empty.</summary>
    public string NativeMessage { get; }
}
