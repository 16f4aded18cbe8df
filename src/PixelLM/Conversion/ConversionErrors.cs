namespace PixelLM.Conversion;

/// <summary>
/// The exceptions the converter throws. Every message names the file and the offending tensor or key,
/// because a checkpoint error is only actionable when the user can find what is wrong.
/// </summary>
internal static class ConversionErrors
{
    /// <summary>A file's content is malformed or contradicts the rest of the checkpoint.</summary>
    internal static PixelLmFormatException Format(string message) => new(message, string.Empty);

    /// <summary>A required file or directory is missing or unreadable.</summary>
    internal static PixelLmIOException Io(string message) => new(message, string.Empty);

    /// <summary>Well-formed input the converter does not handle (a dtype, a non-contiguous tensor).</summary>
    internal static PixelLmUnsupportedException Unsupported(string message) => new(message, string.Empty);
}
