using System.Runtime.InteropServices;

namespace PixelLM.Interop;

/// <summary>
/// One caller at a time over a native object that is not thread-safe (a context): <see cref="Enter"/>
/// marks it busy for one call and keeps its handle alive while the call runs, so a concurrent call
/// fails with <see cref="InvalidOperationException"/> instead of corrupting native state, and a
/// concurrent <c>Dispose()</c> frees the object only after the call returns.
/// </summary>
internal sealed class CallGate(SafeHandle handle, string busyMessage)
{
    private int _busy;

    /// <exception cref="InvalidOperationException">Another call holds the gate.</exception>
    /// <exception cref="ObjectDisposedException">The handle is closed.</exception>
    internal Pass Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
            throw new InvalidOperationException(busyMessage);
        try
        {
            return new Pass(this, new SafeHandleLease(handle));
        }
        catch
        {
            Volatile.Write(ref _busy, 0);
            throw;
        }
    }

    /// <summary>The right to one call; dispose it when the call is done.</summary>
    internal ref struct Pass
    {
        private readonly CallGate _gate;
        private SafeHandleLease _lease;

        internal Pass(CallGate gate, SafeHandleLease lease)
        {
            _gate = gate;
            _lease = lease;
        }

        /// <summary>The native pointer, valid until <see cref="Dispose"/>.</summary>
        internal IntPtr Pointer => _lease.Pointer;

        public void Dispose()
        {
            _lease.Dispose();
            Volatile.Write(ref _gate._busy, 0);
        }
    }
}
