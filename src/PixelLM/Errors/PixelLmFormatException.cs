namespace PixelLM;

/// <summary>A file or buffer is malformed, truncated or hostile (<see cref="PixelLmStatus.InvalidFormat"/>). The message names the field and its byte offset.</summary>
public class PixelLmFormatException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmFormatException(string message, string nativeMessage)
        : base(PixelLmStatus.InvalidFormat, message, nativeMessage)
    {
    }
}
