namespace PixelLM;

/// <summary>A named metadata key or tensor does not exist (<see cref="PixelLmStatus.NotFound"/>).</summary>
public class PixelLmNotFoundException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmNotFoundException(string message, string nativeMessage)
        : base(PixelLmStatus.NotFound, message, nativeMessage)
    {
    }
}
