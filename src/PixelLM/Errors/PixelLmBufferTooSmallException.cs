namespace PixelLM;

/// <summary>A caller-provided buffer is smaller than the result (<see cref="PixelLmStatus.BufferTooSmall"/>).</summary>
public class PixelLmBufferTooSmallException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmBufferTooSmallException(string message, string nativeMessage)
        : base(PixelLmStatus.BufferTooSmall, message, nativeMessage)
    {
    }
}
