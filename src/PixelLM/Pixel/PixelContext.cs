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
    private readonly CallGate _gate;

    internal PixelContext(SafePixelContextHandle handle, PixelModelInfo info)
    {
        _handle = handle;
        _gate = new CallGate(handle, "This pixel context is already in use by another call; a context serves one caller at a time.");
        Info = info;
    }

    /// <summary>The hyper-parameters of the model this context runs.</summary>
    public PixelModelInfo Info { get; }

    /// <summary>Frees the scratch and joins the context's threads.</summary>
    public void Dispose() => _handle.Dispose();
}
