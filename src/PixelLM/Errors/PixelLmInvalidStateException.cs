namespace PixelLM;

/// <summary>A call came at the wrong point of an object's life, for example writing tensor data before the header (<see cref="PixelLmStatus.InvalidState"/>).</summary>
public class PixelLmInvalidStateException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmInvalidStateException(string message, string nativeMessage)
        : base(PixelLmStatus.InvalidState, message, nativeMessage)
    {
    }
}
