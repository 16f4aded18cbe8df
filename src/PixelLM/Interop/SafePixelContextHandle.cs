using System.Runtime.InteropServices;

namespace PixelLM.Interop;

/// <summary>
/// Owns a <c>pxl_pixel_context*</c>; releasing it calls <c>pxl_pixel_context_free</c> and then releases
/// the reference it holds on its pixel model's handle, so the model is never freed before the context.
/// </summary>
internal sealed unsafe class SafePixelContextHandle : SafeHandle
{
    private SafePixelModelHandle? _model;

    /// <summary>Creates an invalid handle, to be filled in by <see cref="FromNative"/>.</summary>
    public SafePixelContextHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of a context; <paramref name="model"/> already carries a reference for it.</summary>
    internal static SafePixelContextHandle FromNative(pxl_pixel_context* context, SafePixelModelHandle model)
    {
        var result = new SafePixelContextHandle { _model = model };
        result.SetHandle((IntPtr)context);
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pxl_pixel_context_free((pxl_pixel_context*)handle);
        _model?.DangerousRelease();
        _model = null;
        return true;
    }
}
