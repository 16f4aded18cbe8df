using System.Reflection;
using System.Runtime.InteropServices;

namespace PixelLM.BindingsGenerator.LibClang;

/// <summary>
/// Finds and loads libclang once per process and points <see cref="Clang"/>'s imports at it.
/// Fails with the list of names tried and the package that provides the library.
/// </summary>
internal static class LibClangLoader
{
    /// <summary>Environment variable naming the libclang to use (a path or a library name) instead of the default names.</summary>
    public const string OverrideVariable = "PIXELLM_LIBCLANG";

    private static readonly object Gate = new();
    private static IntPtr handle;

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (handle != IntPtr.Zero)
            {
                return;
            }

            var candidates = CandidateNames();
            var failures = new List<string>();
            foreach (var candidate in candidates)
            {
                try
                {
                    handle = NativeLibrary.Load(candidate);
                    break;
                }
                catch (DllNotFoundException exception)
                {
                    failures.Add($"  {candidate}: {exception.Message}");
                }
            }

            if (handle == IntPtr.Zero)
            {
                throw new BindingsGeneratorException(
                    "libclang could not be loaded. Tried:" + Environment.NewLine
                    + string.Join(Environment.NewLine, failures) + Environment.NewLine
                    + "Install it (Debian/Ubuntu: apt-get install libclang1-14; Windows: LLVM's libclang.dll on PATH) "
                    + $"or set {OverrideVariable} to the library's path.");
            }

            NativeLibrary.SetDllImportResolver(typeof(LibClangLoader).Assembly, Resolve);
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        return libraryName == Clang.LibraryName ? handle : IntPtr.Zero;
    }

    private static List<string> CandidateNames()
    {
        // An explicit choice is the only candidate: silently falling back to another libclang would hide a misconfiguration.
        var overridden = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return [overridden];
        }

        var names = new List<string>();
        if (OperatingSystem.IsWindows())
        {
            names.Add("libclang.dll");
        }
        else if (OperatingSystem.IsMacOS())
        {
            names.Add("libclang.dylib");
        }
        else
        {
            names.AddRange(["libclang-14.so.1", "libclang.so.1", "libclang-14.so", "libclang.so"]);
        }

        return names;
    }
}
