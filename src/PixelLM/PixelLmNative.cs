using PixelLM.Interop;

namespace PixelLM;

/// <summary>
/// Facts about the loaded native library and the process-wide native settings (logging).
/// The first use of any member loads the library and checks its ABI version.
/// </summary>
public static unsafe class PixelLmNative
{
    /// <summary>The native library's version, "major.minor.patch".</summary>
    /// <exception cref="PixelLmNativeLibraryException">The library cannot be loaded or has another ABI version.</exception>
    public static string Version
    {
        get
        {
            NativeLibraryLoader.EnsureInitialized();
            return NativeText.FromNullTerminated(NativeMethods.pxl_version_string());
        }
    }

    /// <summary>The ABI version of the loaded library; always equal to <see cref="ExpectedAbiVersion"/> once loaded.</summary>
    /// <exception cref="PixelLmNativeLibraryException">The library cannot be loaded or has another ABI version.</exception>
    public static int AbiVersion
    {
        get
        {
            NativeLibraryLoader.EnsureInitialized();
            return (int)NativeMethods.pxl_abi_version();
        }
    }

    /// <summary>The ABI version these bindings were generated for (<c>PXL_ABI_VERSION</c> of <c>pixellm.h</c>).</summary>
    public static int ExpectedAbiVersion => NativeMethods.PXL_ABI_VERSION;

    /// <summary>The full path of the loaded native library.</summary>
    /// <exception cref="PixelLmNativeLibraryException">The library cannot be loaded or has another ABI version.</exception>
    public static string LibraryPath
    {
        get
        {
            NativeLibraryLoader.EnsureInitialized();
            return NativeLibraryLoader.LoadedPath ?? NativeMethods.LibraryName;
        }
    }

    /// <summary>
    /// The instruction-set level the CPU kernels run at: <see cref="BestIsa"/>, or the level named by the
    /// environment variable <c>PIXELLM_ISA</c> (scalar, avx2, avx512) when set and supported. Fixed per process.
    /// </summary>
    /// <exception cref="PixelLmNativeLibraryException">The library cannot be loaded or has another ABI version.</exception>
    public static CpuIsa ActiveIsa
    {
        get
        {
            NativeLibraryLoader.EnsureInitialized();
            return (CpuIsa)(int)NativeMethods.pxl_cpu_active_isa();
        }
    }

    /// <summary>The best instruction-set level this CPU and operating system support.</summary>
    /// <exception cref="PixelLmNativeLibraryException">The library cannot be loaded or has another ABI version.</exception>
    public static CpuIsa BestIsa
    {
        get
        {
            NativeLibraryLoader.EnsureInitialized();
            return (CpuIsa)(int)NativeMethods.pxl_cpu_best_isa();
        }
    }

    /// <summary>Physical cores this process may run on (affinity mask, SMT siblings counted once); at least 1.</summary>
    /// <exception cref="PixelLmNativeLibraryException">The library cannot be loaded or has another ABI version.</exception>
    public static int PhysicalCores
    {
        get
        {
            NativeLibraryLoader.EnsureInitialized();
            return NativeMethods.pxl_cpu_physical_cores();
        }
    }

    /// <summary>
    /// Sends the native library's log messages at <paramref name="minLevel"/> or above to
    /// <paramref name="logger"/>, replacing any logger set before; null restores the library's default
    /// (warnings and errors to stderr, or the level named by the environment variable <c>PIXELLM_LOG</c>).
    /// </summary>
    /// <remarks>
    /// This is one process-wide setting. The logger may be called from any thread the library runs,
    /// concurrently, and for a short while after it was replaced; it must be thread-safe, quick, and must
    /// not call into PixelLM. Exceptions it throws are caught and dropped: they never reach native code.
    /// Messages carry no trailing newline.
    /// </remarks>
    /// <param name="logger">Receives each message with its level; null for the default.</param>
    /// <param name="minLevel">The lowest level delivered; <see cref="PixelLmLogLevel.None"/> delivers nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minLevel"/> is not a defined level.</exception>
    /// <exception cref="PixelLmNativeLibraryException">The library cannot be loaded or has another ABI version.</exception>
    public static void SetLogger(Action<PixelLmLogLevel, string>? logger, PixelLmLogLevel minLevel = PixelLmLogLevel.Warning)
    {
        LogBridge.SetLogger(logger, minLevel);
    }
}
