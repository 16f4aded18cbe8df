namespace PixelLM;

/// <summary>A sequence's KV cache has no room for the positions a batch adds (<see cref="PixelLmStatus.ContextFull"/>); the context stays usable.</summary>
public class PixelLmContextFullException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmContextFullException(string message, string nativeMessage)
        : base(PixelLmStatus.ContextFull, message, nativeMessage)
    {
    }
}
