namespace PixelLM;

/// <summary>The input is well-formed but this build cannot handle it, for example a tensor type it cannot convert (<see cref="PixelLmStatus.Unsupported"/>).</summary>
public class PixelLmUnsupportedException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmUnsupportedException(string message, string nativeMessage)
        : base(PixelLmStatus.Unsupported, message, nativeMessage)
    {
    }
}
