using PixelLM.Interop;

namespace PixelLM.Pixel;

/// <summary>
/// One caller's state for a <see cref="PixelModel"/>: a thread pool of its own and the scratch of the
/// vision tower and the pixel decoder.
/// </summary>
/// <remarks>
/// A pixel context serves one caller at a time: a call that starts while another is running on it throws
/// <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed unsafe partial class PixelContext : IDisposable
{
    private readonly SafePixelContextHandle _handle;
    private int _busy;

    internal PixelContext(SafePixelContextHandle handle, PixelModelInfo info)
    {
        _handle = handle;
        Info = info;
    }

    /// <summary>The hyper-parameters of the model this context runs.</summary>
    public PixelModelInfo Info { get; }

    /// <summary>Frees the scratch and joins the context's threads.</summary>
    public void Dispose() => _handle.Dispose();

    // Marks the context busy for one call and keeps the native context alive while it runs.
    private Use Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
            throw new InvalidOperationException(
                "This pixel context is already in use by another call; a context serves one caller at a time.");
        try
        {
            return new Use(this, new SafeHandleLease(_handle));
        }
        catch
        {
            Volatile.Write(ref _busy, 0);
            throw;
        }
    }

    private ref struct Use
    {
        private readonly PixelContext _owner;
        private SafeHandleLease _lease;

        internal Use(PixelContext owner, SafeHandleLease lease)
        {
            _owner = owner;
            _lease = lease;
        }

        internal pxl_pixel_context* Context => (pxl_pixel_context*)_lease.Pointer;

        public void Dispose()
        {
            _lease.Dispose();
            Volatile.Write(ref _owner._busy, 0);
        }
    }
}
