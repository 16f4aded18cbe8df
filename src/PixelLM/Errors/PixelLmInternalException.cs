namespace PixelLM;

/// <summary>A bug in the native library (<see cref="PixelLmStatus.InternalError"/>); the message says where. Please report it.</summary>
public class PixelLmInternalException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmInternalException(string message, string nativeMessage)
        : base(PixelLmStatus.InternalError, message, nativeMessage)
    {
    }
}
