namespace PixelLM;

/// <summary>A native memory allocation failed (<see cref="PixelLmStatus.OutOfMemory"/>). Unlike <see cref="OutOfMemoryException"/> the managed heap may be fine.</summary>
public class PixelLmOutOfMemoryException : PixelLmException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="nativeMessage">The native library's own message (<c>pxl_last_error()</c>), or empty.</param>
    public PixelLmOutOfMemoryException(string message, string nativeMessage)
        : base(PixelLmStatus.OutOfMemory, message, nativeMessage)
    {
    }
}
