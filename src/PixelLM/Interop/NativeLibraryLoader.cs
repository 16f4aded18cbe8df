using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;

namespace PixelLM.Interop;

/// <summary>
/// Finds and loads the native library for this assembly's P/Invokes, and checks its ABI version.
/// </summary>
/// <remarks>
/// <para>
/// The resolver is registered once, by the module initializer, for this assembly only. It loads the
/// library from the first of these that works: the environment variable <c>PIXELLM_NATIVE_PATH</c>
/// (the library file, or the folder holding it), the assembly's folder, and
/// <c>runtimes/&lt;rid&gt;/native/</c> under the assembly's folder. It never falls back to a search of
/// the system paths, so a stray library of the same name elsewhere is never picked up silently.
/// </para>
/// <para>
/// <see cref="EnsureInitialized"/> runs before the first native call of every public entry point:
/// it loads the library and compares <c>pxl_abi_version()</c> with the <c>PXL_ABI_VERSION</c> the
/// bindings were generated from. Both happen once per process; a failure is remembered and thrown
/// again, unchanged, on every later use.
/// </para>
/// </remarks>
internal static class NativeLibraryLoader
{
    /// <summary>The environment variable naming the library file or its folder.</summary>
    internal const string PathVariable = "PIXELLM_NATIVE_PATH";

    private static readonly Lock s_lock = new();
    private static IntPtr s_handle;
    private static string? s_loadedPath;
    private static ExceptionDispatchInfo? s_loadFailure;
    private static ExceptionDispatchInfo? s_initFailure;
    private static volatile bool s_initialized;

    /// <summary>The path of the loaded library, or null before it is loaded.</summary>
    internal static string? LoadedPath
    {
        get
        {
            lock (s_lock)
                return s_loadedPath;
        }
    }

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The resolver must be in place before the first P/Invoke of this assembly, whichever "
            + "type makes it; registering it is cheap and loads nothing.")]
    internal static void RegisterResolver()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    /// <summary>Loads the library and checks its ABI version, once; throws the same failure on every call.</summary>
    /// <exception cref="PixelLmNativeLibraryException">The library cannot be loaded or has another ABI version.</exception>
    internal static void EnsureInitialized()
    {
        if (s_initialized)
            return;
        lock (s_lock)
        {
            if (s_initialized)
                return;
            s_initFailure?.Throw();
            try
            {
                LoadLocked();
                CheckAbiVersionLocked();
                s_initialized = true;
            }
            catch (PixelLmNativeLibraryException e)
            {
                s_initFailure = ExceptionDispatchInfo.Capture(e);
                throw;
            }
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != NativeMethods.LibraryName)
            return IntPtr.Zero;
        lock (s_lock)
        {
            // A library that failed the ABI check is never handed out, whichever call asks for it.
            s_initFailure?.Throw();
            return LoadLocked();
        }
    }

    private static IntPtr LoadLocked()
    {
        if (s_handle != IntPtr.Zero)
            return s_handle;
        s_loadFailure?.Throw();

        IReadOnlyList<string> candidates = GetCandidatePaths(
            Environment.GetEnvironmentVariable(PathVariable), GetAssemblyDirectory(), GetRuntimeIdentifier(), GetLibraryFileName());
        try
        {
            (s_handle, s_loadedPath) = LoadFirst(candidates, NativeLibrary.Load);
            return s_handle;
        }
        catch (PixelLmNativeLibraryException e)
        {
            s_loadFailure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    private static void CheckAbiVersionLocked()
    {
        string path = s_loadedPath ?? NativeMethods.LibraryName;
        uint actual;
        try
        {
            actual = NativeMethods.pxl_abi_version();
        }
        catch (EntryPointNotFoundException e)
        {
            throw new PixelLmNativeLibraryException(
                $"The library at '{path}' does not export pxl_abi_version: it is not a PixelLM native library, "
                + "or one too old for this assembly.",
                [path],
                e);
        }

        if (actual != (uint)NativeMethods.PXL_ABI_VERSION)
            throw new PixelLmAbiMismatchException(path, NativeMethods.PXL_ABI_VERSION, actual);
    }

    /// <summary>
    /// The paths to try, in order, without duplicates: the variable's value (a file, or a folder to look
    /// in), the assembly's folder, and <c>runtimes/&lt;rid&gt;/native/</c> under it.
    /// </summary>
    /// <param name="pathVariable">The value of <c>PIXELLM_NATIVE_PATH</c>, or null/empty when unset.</param>
    /// <param name="assemblyDirectory">The folder of this assembly, or null when unknown.</param>
    /// <param name="runtimeIdentifier">The portable runtime identifier, e.g. <c>linux-x64</c>.</param>
    /// <param name="libraryFileName">The platform's file name of the library.</param>
    internal static IReadOnlyList<string> GetCandidatePaths(
        string? pathVariable, string? assemblyDirectory, string runtimeIdentifier, string libraryFileName)
    {
        var paths = new List<string>();
        void Add(string path)
        {
            string full = Path.GetFullPath(path);
            if (!paths.Contains(full, StringComparer.Ordinal))
                paths.Add(full);
        }

        if (!string.IsNullOrWhiteSpace(pathVariable))
        {
            bool isFolder = Directory.Exists(pathVariable)
                || pathVariable.EndsWith(Path.DirectorySeparatorChar)
                || pathVariable.EndsWith(Path.AltDirectorySeparatorChar);
            Add(isFolder ? Path.Combine(pathVariable, libraryFileName) : pathVariable);
        }

        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            Add(Path.Combine(assemblyDirectory, libraryFileName));
            Add(Path.Combine(assemblyDirectory, "runtimes", runtimeIdentifier, "native", libraryFileName));
        }

        return paths;
    }

    /// <summary>Loads the first candidate that loads; throws an exception describing every failure if none does.</summary>
    /// <param name="candidates">The paths to try, in order.</param>
    /// <param name="load">Loads one path or throws (<see cref="NativeLibrary.Load(string)"/>).</param>
    /// <exception cref="PixelLmNativeLibraryException">No candidate loaded.</exception>
    internal static (IntPtr Handle, string Path) LoadFirst(IReadOnlyList<string> candidates, Func<string, IntPtr> load)
    {
        var failures = new List<(string Path, Exception Error)>();
        foreach (string path in candidates)
        {
            try
            {
                return (load(path), path);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or IOException
                or UnauthorizedAccessException or ArgumentException)
            {
                failures.Add((path, e));
            }
        }

        throw CreateLoadFailure(failures);
    }

    /// <summary>Builds the exception for a load that failed at every path, naming each path and its error.</summary>
    internal static PixelLmNativeLibraryException CreateLoadFailure(IReadOnlyList<(string Path, Exception Error)> failures)
    {
        var message = new StringBuilder();
        message.Append("Could not load the PixelLM native library (").Append(GetLibraryFileName()).Append(").");
        if (failures.Count == 0)
        {
            message.Append(" There was no path to try: the assembly's location is unknown and ")
                .Append(PathVariable).Append(" is not set.");
        }
        else
        {
            message.Append(" Tried:");
            foreach ((string path, Exception error) in failures)
                message.AppendLine().Append("  ").Append(path).Append(": ").Append(OneLine(error.Message));
        }

        message.AppendLine().Append("Set ").Append(PathVariable)
            .Append(" to the library file or its folder, or build and stage it with build.sh.");

        Exception? inner = failures.Count switch
        {
            0 => null,
            1 => failures[0].Error,
            _ => new AggregateException(failures.Select(f => f.Error)),
        };
        return new PixelLmNativeLibraryException(message.ToString(), failures.Select(f => f.Path).ToArray(), inner);
    }

    /// <summary>The portable runtime identifier of this process, e.g. <c>linux-x64</c>, <c>win-arm64</c>, <c>osx-arm64</c>.</summary>
    internal static string GetRuntimeIdentifier()
    {
        string os = OperatingSystem.IsWindows() ? "win"
            : OperatingSystem.IsMacOS() ? "osx"
            : OperatingSystem.IsFreeBSD() ? "freebsd"
            : "linux";
        string architecture = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            Architecture other => other.ToString().ToLowerInvariant(),
        };
        return $"{os}-{architecture}";
    }

    /// <summary>The library's file name on this platform.</summary>
    internal static string GetLibraryFileName() =>
        OperatingSystem.IsWindows() ? "pixellm.dll"
        : OperatingSystem.IsMacOS() ? "libpixellm.dylib"
        : "libpixellm.so";

    [UnconditionalSuppressMessage("SingleFile", "IL3000:Avoid accessing Assembly file path when publishing as a single file",
        Justification = "An empty Location (single-file app) falls back to AppContext.BaseDirectory.")]
    private static string? GetAssemblyDirectory()
    {
        // Location is empty for single-file apps; the app's base folder holds the library there.
        string location = typeof(NativeLibraryLoader).Assembly.Location;
        return string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
