using System.Runtime.InteropServices;

namespace PixelLM.Interop;

/// <summary>Owns a <c>pxl_pixel_model*</c>; releasing it calls <c>pxl_pixel_model_free</c>.</summary>
internal sealed unsafe class SafePixelModelHandle : SafeHandle
{
    /// <summary>Creates an invalid handle, to be filled in by <see cref="FromNative"/>.</summary>
    public SafePixelModelHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of a pixel model the library loaded.</summary>
    internal static SafePixelModelHandle FromNative(pxl_pixel_model* model)
    {
        var result = new SafePixelModelHandle();
        result.SetHandle((IntPtr)model);
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pxl_pixel_model_free((pxl_pixel_model*)handle);
        return true;
    }
}
