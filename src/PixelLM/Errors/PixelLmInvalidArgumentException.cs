namespace PixelLM;

/// <summary>An argument was rejected by the native library: null, out of range or inconsistent with another argument (<see cref="PixelLmStatus.InvalidArgument"/>).</summary>
public class PixelLmInvalidArgumentException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmInvalidArgumentException(string message, string nativeMessage)
        : base(PixelLmStatus.InvalidArgument, message, nativeMessage)
    {
    }
}
