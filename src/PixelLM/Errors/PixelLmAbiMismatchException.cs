namespace PixelLM;

/// <summary>
/// The native library was loaded, but it was built for another ABI version than this assembly
/// (<c>pxl_abi_version()</c> differs from the <c>PXL_ABI_VERSION</c> the bindings were generated from).
/// Calling into it could corrupt memory, so no call is made; install matching versions of the managed
/// and native parts.
/// </summary>
public class PixelLmAbiMismatchException : PixelLmNativeLibraryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="libraryPath">The path of the library that was loaded.</param>
    /// <param name="expectedVersion">The ABI version this assembly was built against.</param>
    /// <param name="actualVersion">The ABI version the library reports.</param>
    public PixelLmAbiMismatchException(string libraryPath, long expectedVersion, long actualVersion)
        : base(
            $"The PixelLM native library at '{libraryPath}' has ABI version {actualVersion}, but this PixelLM "
            + $"assembly needs ABI version {expectedVersion}. Install the native library that matches this "
            + "assembly (or point PIXELLM_NATIVE_PATH at it).",
            [libraryPath],
            null)
    {
        LibraryPath = libraryPath;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The path of the library that was loaded.</summary>
    public string LibraryPath { get; }

    /// <summary>The ABI version this assembly was built against.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The ABI version the loaded library reports.</summary>
    public long ActualVersion { get; }
}
