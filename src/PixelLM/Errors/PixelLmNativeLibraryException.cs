namespace PixelLM;

/// <summary>
/// The PixelLM native library (<c>libpixellm.so</c>, <c>pixellm.dll</c>, <c>libpixellm.dylib</c>) could not
/// be loaded or is not usable. The message lists every path that was tried with the reason each failed;
/// <see cref="Exception.InnerException"/> keeps the original error (an <see cref="AggregateException"/>
/// when several paths were tried). Set the environment variable <c>PIXELLM_NATIVE_PATH</c> to the
/// library file or its folder to load it from elsewhere.
/// </summary>
public class PixelLmNativeLibraryException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="attemptedPaths">The paths tried, in order.</param>
    /// <param name="innerException">The error of the failed attempt(s), or null.</param>
    public PixelLmNativeLibraryException(string message, IReadOnlyList<string> attemptedPaths, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(attemptedPaths);
        AttemptedPaths = attemptedPaths;
    }

    /// <summary>The paths tried, in the order they were tried.</summary>
    public IReadOnlyList<string> AttemptedPaths { get; }
}
