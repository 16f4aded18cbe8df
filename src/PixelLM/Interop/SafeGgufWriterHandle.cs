using System.Runtime.InteropServices;

namespace PixelLM.Interop;

/// <summary>
/// Owns a <c>pxl_gguf_writer*</c>; releasing it calls <c>pxl_gguf_writer_free</c>, which also deletes the
/// temporary file of a write that was never finished.
/// </summary>
internal sealed unsafe class SafeGgufWriterHandle : SafeHandle
{
    /// <summary>Creates an invalid handle, to be filled in by <see cref="SafeHandle.SetHandle"/>.</summary>
    public SafeGgufWriterHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of a writer the library created.</summary>
    internal static SafeGgufWriterHandle FromNative(pxl_gguf_writer* writer)
    {
        var result = new SafeGgufWriterHandle();
        result.SetHandle((IntPtr)writer);
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pxl_gguf_writer_free((pxl_gguf_writer*)handle);
        return true;
    }
}
