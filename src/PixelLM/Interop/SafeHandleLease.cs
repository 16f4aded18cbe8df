using System.Runtime.InteropServices;

namespace PixelLM.Interop;

/// <summary>
/// Keeps a <see cref="SafeHandle"/> alive for the length of one native call: it adds a reference on
/// creation and releases it on <see cref="Dispose"/>, so a concurrent <c>Dispose()</c> of the owner only
/// frees the native object after the call returns. Creating a lease on a closed handle throws
/// <see cref="ObjectDisposedException"/>.
/// </summary>
internal ref struct SafeHandleLease
{
    private SafeHandle? _handle;

    /// <summary>Adds a reference to <paramref name="handle"/>.</summary>
    /// <exception cref="ObjectDisposedException">The handle is already closed.</exception>
    internal SafeHandleLease(SafeHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        _handle = handle;
        Pointer = handle.DangerousGetHandle();
    }

    /// <summary>The native pointer, valid until <see cref="Dispose"/>.</summary>
    internal IntPtr Pointer { get; }

    /// <summary>Releases the reference taken on creation.</summary>
    public void Dispose()
    {
        SafeHandle? handle = _handle;
        _handle = null;
        handle?.DangerousRelease();
    }
}
