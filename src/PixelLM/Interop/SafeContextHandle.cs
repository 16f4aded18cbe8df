using System.Runtime.InteropServices;

namespace PixelLM.Interop;

/// <summary>
/// Owns a <c>pxl_context*</c>; releasing it calls <c>pxl_context_free</c> and then releases the reference
/// it holds on its model's handle, so the model is never freed before a context made from it.
/// </summary>
internal sealed unsafe class SafeContextHandle : SafeHandle
{
    private SafeModelHandle? _model;

    /// <summary>Creates an invalid handle, to be filled in by <see cref="FromNative"/>.</summary>
    public SafeContextHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of a context; <paramref name="model"/> already carries a reference for it.</summary>
    internal static SafeContextHandle FromNative(pxl_context* context, SafeModelHandle model)
    {
        var result = new SafeContextHandle { _model = model };
        result.SetHandle((IntPtr)context);
        return result;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.pxl_context_free((pxl_context*)handle);
        _model?.DangerousRelease();
        _model = null;
        return true;
    }
}
