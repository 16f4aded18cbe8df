namespace PixelLM;

/// <summary>A value has another type than the caller asked for (<see cref="PixelLmStatus.TypeMismatch"/>), for example reading a string metadata value as an integer.</summary>
public class PixelLmTypeMismatchException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmTypeMismatchException(string message, string nativeMessage)
        : base(PixelLmStatus.TypeMismatch, message, nativeMessage)
    {
    }
}
