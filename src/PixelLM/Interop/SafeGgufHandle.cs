using System.Runtime.InteropServices;

namespace PixelLM.Interop;

/// <summary>Owns a <c>pxl_gguf*</c>; releasing it calls <c>pxl_gguf_free</c>.</summary>
internal sealed unsafe class SafeGgufHandle : SafeHandle
{
    /// <summary>Creates an invalid handle, to be filled in by <see cref="SafeHandle.SetHandle"/>.</summary>
    public SafeGgufHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of a file the library opened.</summary>
    internal static SafeGgufHandle FromNative(pxl_gguf* file)
    {
        var result = new SafeGgufHandle();
        result.SetHandle((IntPtr)file);
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pxl_gguf_free((pxl_gguf*)handle);
        return true;
    }
}
