using System.Runtime.InteropServices;

namespace PixelLM.Interop;

/// <summary>Owns a <c>pxl_model*</c>; releasing it calls <c>pxl_model_free</c>.</summary>
internal sealed unsafe class SafeModelHandle : SafeHandle
{
    /// <summary>Creates an invalid handle, to be filled in by <see cref="SafeHandle.SetHandle"/>.</summary>
    public SafeModelHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of a model the library loaded.</summary>
    internal static SafeModelHandle FromNative(pxl_model* model)
    {
        var result = new SafeModelHandle();
        result.SetHandle((IntPtr)model);
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pxl_model_free((pxl_model*)handle);
        return true;
    }
}
