namespace PixelLM;

/// <summary>Severity of a message from the native library, mirroring <c>pxl_log_level</c>.</summary>
public enum PixelLmLogLevel
{
    /// <summary>Detail for diagnosing the library itself.</summary>
    Debug = 0,

    /// <summary>Progress and facts worth knowing (what was loaded, which kernels run).</summary>
    Info = 1,

    /// <summary>Something unexpected that the library worked around.</summary>
    Warning = 2,

    /// <summary>A failure; the call that failed also reports it through an exception.</summary>
    Error = 3,

    /// <summary>As a minimum level: no messages at all.</summary>
    None = 4,
}
