using System.Runtime.InteropServices;
using System.Text;
using NUnit.Framework;

namespace PixelLM.Tests.Interop;

/// <summary>
/// The test-only native library pixellm_layout_probe (bindings/generated/pixellm_layout_probe.g.c):
/// sizeof and offsetof of every struct of pixellm.h, as the C compiler lays them out.
/// </summary>
internal sealed unsafe class LayoutProbeLibrary : IDisposable
{
    public const string NativePathVariable = "PIXELLM_NATIVE_PATH";

    private readonly IntPtr handle;
    private readonly delegate* unmanaged[Cdecl]<byte*, ulong*, int> structSize;
    private readonly delegate* unmanaged[Cdecl]<byte*, byte*, ulong*, int> fieldOffset;

    private LayoutProbeLibrary(IntPtr handle, string path)
    {
        this.handle = handle;
        LoadedFrom = path;
        structSize = (delegate* unmanaged[Cdecl]<byte*, ulong*, int>)NativeLibrary.GetExport(handle, "pxl_probe_struct_size");
        fieldOffset = (delegate* unmanaged[Cdecl]<byte*, byte*, ulong*, int>)NativeLibrary.GetExport(handle, "pxl_probe_field_offset");
    }

    public string LoadedFrom { get; }

    public static string FileName =>
        OperatingSystem.IsWindows() ? "pixellm_layout_probe.dll"
        : OperatingSystem.IsMacOS() ? "libpixellm_layout_probe.dylib"
        : "libpixellm_layout_probe.so";

    /// <summary>
    /// Loads the probe from PIXELLM_NATIVE_PATH (a folder, or a file in the folder) or from the test
    /// output's runtimes/&lt;rid&gt;/native/, where the test project copies it from build/release/bindings/.
    /// Fails the test, naming every place looked.
    /// </summary>
    public static LayoutProbeLibrary Load()
    {
        var looked = new List<string>();
        foreach (var candidate in CandidatePaths())
        {
            if (!File.Exists(candidate))
            {
                looked.Add($"  {candidate}: not found");
                continue;
            }

            try
            {
                return new LayoutProbeLibrary(NativeLibrary.Load(candidate), candidate);
            }
            catch (Exception exception) when (exception is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                looked.Add($"  {candidate}: {exception.Message}");
            }
        }

        Assert.Fail(
            "The native layout probe library could not be loaded. Looked in:" + Environment.NewLine
            + string.Join(Environment.NewLine, looked) + Environment.NewLine
            + "./build.sh builds it (CMake target pixellm_layout_probe, in build/release/bindings/) and the test "
            + $"project copies it into its output; or set {NativePathVariable} to the folder holding it.");
        throw new InvalidOperationException("unreachable");
    }

    public bool TryGetStructSize(string structName, out ulong size)
    {
        var name = Utf8Z(structName);
        ulong result = 0;
        int status;
        fixed (byte* namePointer = name)
        {
            status = structSize(namePointer, &result);
        }

        size = result;
        return status == 0;
    }

    public bool TryGetFieldOffset(string structName, string fieldName, out ulong offset)
    {
        var structNameBytes = Utf8Z(structName);
        var fieldNameBytes = Utf8Z(fieldName);
        ulong result = 0;
        int status;
        fixed (byte* structPointer = structNameBytes)
        fixed (byte* fieldPointer = fieldNameBytes)
        {
            status = fieldOffset(structPointer, fieldPointer, &result);
        }

        offset = result;
        return status == 0;
    }

    public void Dispose() => NativeLibrary.Free(handle);

    private static IEnumerable<string> CandidatePaths()
    {
        var configured = Environment.GetEnvironmentVariable(NativePathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return Directory.Exists(configured)
                ? Path.Combine(configured, FileName)
                : Path.Combine(Path.GetDirectoryName(configured) ?? ".", FileName);
        }

        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", NativeRid(), "native", FileName);
    }

    private static string NativeRid()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return $"{os}-{architecture}";
    }

    private static byte[] Utf8Z(string text) => Encoding.UTF8.GetBytes(text + "\0");
}
