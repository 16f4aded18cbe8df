using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PixelLM.Interop;

/// <summary>
/// Routes the native library's log messages to a managed delegate.
/// </summary>
/// <remarks>
/// The native side gets one unmanaged callback and, as its user data, a <see cref="GCHandle"/> to a
/// single sink object that lives for the whole process. Replacing the logger swaps the delegate inside
/// that sink instead of freeing and reallocating the handle, because the library may be in the middle of
/// calling the previous callback on another thread when <c>pxl_log_set_callback</c> returns; a freed
/// handle there would be a use-after-free.
/// </remarks>
internal static unsafe class LogBridge
{
    private static readonly Lock s_lock = new();
    private static readonly LogSink s_sink = new();
    private static GCHandle s_sinkHandle;

    /// <summary>The callback handed to the library; exposed so tests can call it the way the library does.</summary>
    internal static delegate* unmanaged[Cdecl]<pxl_log_level, byte*, void*, void> Callback => &OnMessage;

    /// <summary>The user data handed to the library with <see cref="Callback"/> (null before a logger was set).</summary>
    internal static void* UserData
    {
        get
        {
            lock (s_lock)
                return s_sinkHandle.IsAllocated ? (void*)GCHandle.ToIntPtr(s_sinkHandle) : null;
        }
    }

    /// <summary>Installs <paramref name="logger"/>, or restores the library's default (stderr) for null.</summary>
    internal static void SetLogger(Action<PixelLmLogLevel, string>? logger, PixelLmLogLevel minLevel)
    {
        if (minLevel is < PixelLmLogLevel.Debug or > PixelLmLogLevel.None)
            throw new ArgumentOutOfRangeException(nameof(minLevel), minLevel, "Not a defined log level.");
        NativeLibraryLoader.EnsureInitialized();

        lock (s_lock)
        {
            if (logger is null)
            {
                NativeMethods.pxl_log_set_callback(null, null, pxl_log_level.PXL_LOG_LEVEL_WARN);
                s_sink.Logger = null;
                return;
            }

            if (!s_sinkHandle.IsAllocated)
                s_sinkHandle = GCHandle.Alloc(s_sink);
            s_sink.Logger = logger;
            NativeMethods.pxl_log_set_callback(&OnMessage, (void*)GCHandle.ToIntPtr(s_sinkHandle), (pxl_log_level)(int)minLevel);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMessage(pxl_log_level level, byte* message, void* userData)
    {
        // Nothing may propagate into native code: an exception here would tear down the process.
        try
        {
            if (userData == null || GCHandle.FromIntPtr((IntPtr)userData).Target is not LogSink sink)
                return;
            Action<PixelLmLogLevel, string>? logger = sink.Logger;
            logger?.Invoke((PixelLmLogLevel)(int)level, NativeText.FromNullTerminated(message));
        }
        catch (Exception)
        {
            // The user's logger failed; a log message is not worth a crash.
        }
    }
}
