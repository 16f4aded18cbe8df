namespace PixelLM;

/// <summary>A file could not be opened, read, written or renamed (<see cref="PixelLmStatus.IOError"/>). The message names the file.</summary>
public class PixelLmIOException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmIOException(string message, string nativeMessage)
        : base(PixelLmStatus.IOError, message, nativeMessage)
    {
    }
}
