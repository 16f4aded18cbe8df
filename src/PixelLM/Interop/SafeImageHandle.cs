using System.Runtime.InteropServices;

namespace PixelLM.Interop;

/// <summary>Owns a <c>pxl_image*</c>; releasing it calls <c>pxl_image_free</c>.</summary>
internal sealed unsafe class SafeImageHandle : SafeHandle
{
    /// <summary>Creates an invalid handle, to be filled in by <see cref="FromNative"/>.</summary>
    public SafeImageHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of an image the library made.</summary>
    internal static SafeImageHandle FromNative(pxl_image* image)
    {
        var result = new SafeImageHandle();
        result.SetHandle((IntPtr)image);
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pxl_image_free((pxl_image*)handle);
        return true;
    }
}
