using PixelLM.Interop;

namespace PixelLM.Gguf;

/// <summary>
/// An open GGUF file (versions 2 and 3): parsed, validated and memory-mapped by the native library.
/// </summary>
/// <remarks>
/// <para>
/// Every count, length, offset and size in the file is checked before use; a damaged file fails to open
/// with a <see cref="PixelLmFormatException"/> naming the field and its byte offset.
/// </para>
/// <para>
/// Thread safety: the file is immutable once open, and every member may be called from many threads at
/// once. <see cref="Dispose"/> may even race with them: the native file is freed only after calls in
/// flight return, and later calls throw <see cref="ObjectDisposedException"/>. The one exception is the
/// span from <see cref="GetTensorData(string)"/>, which points into the mapping and must not be used after
/// <see cref="Dispose"/>.
/// </para>
/// </remarks>
public sealed unsafe class GgufFile : IDisposable
{
    private readonly SafeGgufHandle _handle;
    private readonly int _version;
    private readonly long _alignment;
    private readonly long _dataOffset;
    private readonly long _fileSize;
    private readonly int _tensorCount;
    private readonly GgufMetadata _metadata;
    private IReadOnlyList<GgufTensorInfo>? _tensors;

    private GgufFile(SafeGgufHandle handle, string? path)
    {
        _handle = handle;
        Path = path;
        var file = (pxl_gguf*)handle.DangerousGetHandle();
        _version = (int)NativeMethods.pxl_gguf_version(file);
        _alignment = (long)NativeMethods.pxl_gguf_alignment(file);
        _dataOffset = (long)NativeMethods.pxl_gguf_data_offset(file);
        _fileSize = (long)NativeMethods.pxl_gguf_file_size(file);
        _tensorCount = checked((int)NativeMethods.pxl_gguf_tensor_count(file));
        _metadata = new GgufMetadata(this, checked((int)NativeMethods.pxl_gguf_metadata_count(file)));
    }

    /// <summary>
    /// Opens, maps and validates the GGUF file at <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The file's path (UTF-8 is passed to the library; relative to the current folder).</param>
    /// <param name="options">Open options, or null for the defaults.</param>
    /// <exception cref="PixelLmIOException">The file cannot be opened or read; the message names it.</exception>
    /// <exception cref="PixelLmFormatException">The file is not valid GGUF; the message names the field and offset.</exception>
    /// <exception cref="PixelLmNativeLibraryException">The native library cannot be loaded.</exception>
    public static GgufFile Open(string path, GgufOpenOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        NativeLibraryLoader.EnsureInitialized();
        pxl_gguf_open_params parameters = CreateParams(options);

        Span<byte> stack = stackalloc byte[Utf8StringBuffer.StackSize];
        using var path8 = new Utf8StringBuffer(path, stack, nameof(path));
        pxl_gguf* file = null;
        pxl_status status;
        fixed (byte* pathPointer = path8.WithTerminator)
            status = NativeMethods.pxl_gguf_open(pathPointer, &parameters, &file);
        NativeStatus.ThrowIfFailed(status, path);
        return Adopt(file, path);
    }

    /// <summary>
    /// Parses a GGUF image held in memory, with the same checks as <see cref="Open"/>. The bytes are copied,
    /// so <paramref name="bytes"/> may be reused as soon as this returns.
    /// </summary>
    /// <param name="bytes">The whole file's bytes.</param>
    /// <param name="options">Open options, or null for the defaults (<see cref="GgufOpenOptions.UseMemoryMap"/> is ignored).</param>
    /// <exception cref="PixelLmFormatException">The bytes are not valid GGUF; the message names the field and offset.</exception>
    /// <exception cref="PixelLmNativeLibraryException">The native library cannot be loaded.</exception>
    public static GgufFile Load(ReadOnlySpan<byte> bytes, GgufOpenOptions? options = null)
    {
        NativeLibraryLoader.EnsureInitialized();
        pxl_gguf_open_params parameters = CreateParams(options);

        // An empty span pins to null; pass a real (zero-length) buffer so the library reports a truncated
        // file rather than a null argument.
        byte empty = 0;
        pxl_gguf* file = null;
        pxl_status status;
        fixed (byte* data = bytes)
            status = NativeMethods.pxl_gguf_open_memory(data != null ? data : &empty, (ulong)bytes.Length, &parameters, &file);
        NativeStatus.ThrowIfFailed(status);
        return Adopt(file, null);
    }

    /// <summary>The path the file was opened from; null when it was loaded from memory.</summary>
    public string? Path { get; }

    /// <summary>The GGUF version of the file (2 or 3).</summary>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public int Version => ThrowIfDisposed()._version;

    /// <summary>The alignment of tensor data in bytes (<c>general.alignment</c>, 32 when absent).</summary>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public long Alignment => ThrowIfDisposed()._alignment;

    /// <summary>The byte offset in the file where tensor data starts.</summary>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public long DataOffset => ThrowIfDisposed()._dataOffset;

    /// <summary>The size of the file in bytes.</summary>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public long FileSize => ThrowIfDisposed()._fileSize;

    /// <summary>The metadata key-value pairs, in file order, read on demand.</summary>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public GgufMetadata Metadata => ThrowIfDisposed()._metadata;

    /// <summary>The tensors, in file order (read on first use).</summary>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public IReadOnlyList<GgufTensorInfo> Tensors
    {
        get
        {
            ThrowIfDisposed();
            IReadOnlyList<GgufTensorInfo>? tensors = Volatile.Read(ref _tensors);
            if (tensors is null)
            {
                tensors = Array.AsReadOnly(ReadTensorTable());
                Volatile.Write(ref _tensors, tensors);
            }

            return tensors;
        }
    }

    /// <summary>The tensor named <paramref name="name"/>, or null when the file has none.</summary>
    /// <param name="name">The tensor's name, e.g. <c>token_embd.weight</c>.</param>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public GgufTensorInfo? FindTensor(string name)
    {
        pxl_status status = FindTensorIndex(name, out long index);
        if (status == pxl_status.PXL_STATUS_NOT_FOUND)
            return null;
        NativeStatus.ThrowIfFailed(status, name);
        return Tensors[checked((int)index)];
    }

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <param name="name">The tensor's name, e.g. <c>token_embd.weight</c>.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such tensor.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public GgufTensorInfo GetTensor(string name)
    {
        pxl_status status = FindTensorIndex(name, out long index);
        NativeStatus.ThrowIfFailed(status, name);
        return Tensors[checked((int)index)];
    }

    /// <summary>Reads a tensor converted to f32, into a new array.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>The <see cref="GgufTensorInfo.ElementCount"/> values, innermost dimension fastest.</returns>
    /// <exception cref="PixelLmNotFoundException">The file has no such tensor.</exception>
    /// <exception cref="PixelLmUnsupportedException">The tensor's type cannot be converted to f32 by this build.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public float[] ReadTensor(string name) => ReadTensor(GetTensor(name));

    /// <summary>Reads a tensor converted to f32, into a new array.</summary>
    /// <param name="tensor">A tensor of this file.</param>
    /// <returns>The <see cref="GgufTensorInfo.ElementCount"/> values, innermost dimension fastest.</returns>
    /// <exception cref="ArgumentException"><paramref name="tensor"/> belongs to another file.</exception>
    /// <exception cref="PixelLmUnsupportedException">The tensor's type cannot be converted to f32 by this build.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public float[] ReadTensor(GgufTensorInfo tensor)
    {
        CheckOwner(tensor);
        if (tensor.ElementCount > Array.MaxLength)
            throw new NotSupportedException(
                $"Tensor '{tensor.Name}' has {tensor.ElementCount} elements, more than a .NET array holds; read it in parts.");
        var values = new float[tensor.ElementCount];
        ReadTensor(tensor, values);
        return values;
    }

    /// <summary>Reads a tensor converted to f32 into <paramref name="destination"/>.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="destination">Receives the values; at least <see cref="GgufTensorInfo.ElementCount"/> long.</param>
    /// <returns>The number of values written (the element count).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="PixelLmNotFoundException">The file has no such tensor.</exception>
    /// <exception cref="PixelLmUnsupportedException">The tensor's type cannot be converted to f32 by this build.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public int ReadTensor(string name, Span<float> destination) => ReadTensor(GetTensor(name), destination);

    /// <summary>Reads a tensor converted to f32 into <paramref name="destination"/>.</summary>
    /// <param name="tensor">A tensor of this file.</param>
    /// <param name="destination">Receives the values; at least <see cref="GgufTensorInfo.ElementCount"/> long.</param>
    /// <returns>The number of values written (the element count).</returns>
    /// <exception cref="ArgumentException"><paramref name="tensor"/> belongs to another file, or <paramref name="destination"/> is too short.</exception>
    /// <exception cref="PixelLmUnsupportedException">The tensor's type cannot be converted to f32 by this build.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public int ReadTensor(GgufTensorInfo tensor, Span<float> destination)
    {
        CheckOwner(tensor);
        if (destination.Length < tensor.ElementCount)
        {
            throw new ArgumentException(
                $"Tensor '{tensor.Name}' has {tensor.ElementCount} elements; the destination holds {destination.Length}.",
                nameof(destination));
        }

        using SafeHandleLease lease = Lease();
        fixed (float* dst = destination)
        {
            NativeStatus.ThrowIfFailed(
                NativeMethods.pxl_gguf_tensor_read_f32((pxl_gguf*)lease.Pointer, tensor.Index, dst, (ulong)destination.Length),
                tensor.Name);
        }

        return (int)tensor.ElementCount;
    }

    /// <summary>
    /// The tensor's stored bytes, zero-copy: a view into the file's mapping, in the tensor's own type and
    /// block layout (<see cref="GgufTensorInfo.Type"/>).
    /// </summary>
    /// <remarks>
    /// The span is valid only while this file is open: using it after <see cref="Dispose"/> reads unmapped
    /// memory. Call <c>ToArray()</c> on it for a copy that outlives the file.
    /// </remarks>
    /// <param name="name">The tensor's name.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such tensor.</exception>
    /// <exception cref="NotSupportedException">The tensor is 2 GiB or larger, beyond what a span can hold.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public ReadOnlySpan<byte> GetTensorData(string name) => GetTensorData(GetTensor(name));

    /// <summary>The tensor's stored bytes, zero-copy; see <see cref="GetTensorData(string)"/>.</summary>
    /// <param name="tensor">A tensor of this file.</param>
    /// <exception cref="ArgumentException"><paramref name="tensor"/> belongs to another file.</exception>
    /// <exception cref="NotSupportedException">The tensor is 2 GiB or larger, beyond what a span can hold.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public ReadOnlySpan<byte> GetTensorData(GgufTensorInfo tensor)
    {
        CheckOwner(tensor);
        using SafeHandleLease lease = Lease();
        void* data = null;
        ulong size = 0;
        NativeStatus.ThrowIfFailed(
            NativeMethods.pxl_gguf_tensor_data((pxl_gguf*)lease.Pointer, tensor.Index, &data, &size), tensor.Name);
        if (size > int.MaxValue)
        {
            throw new NotSupportedException(
                $"Tensor '{tensor.Name}' has {size} bytes, more than a span can address; read it with ReadTensor in parts.");
        }

        return new ReadOnlySpan<byte>(data, (int)size);
    }

    /// <summary>
    /// Closes the file and unmaps it. Spans from <see cref="GetTensorData(string)"/> become invalid; values
    /// and tensor descriptions already read stay usable. Calling it again does nothing.
    /// </summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>Adds a reference to the native file for one call; throws if the file was disposed.</summary>
    internal SafeHandleLease Lease()
    {
        ThrowIfDisposed();
        return new SafeHandleLease(_handle);
    }

    internal GgufFile ThrowIfDisposed()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return this;
    }

    private static pxl_gguf_open_params CreateParams(GgufOpenOptions? options)
    {
        pxl_gguf_open_params parameters = NativeMethods.pxl_gguf_default_open_params();
        if (options is not null)
        {
            parameters.use_mmap = options.UseMemoryMap ? 1 : 0;
            if (options.MaxMetadataBytes is long max)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(options) + "." + nameof(options.MaxMetadataBytes));
                parameters.max_metadata_bytes = (ulong)max;
            }
        }

        return parameters;
    }

    private static GgufFile Adopt(pxl_gguf* file, string? path)
    {
        SafeGgufHandle handle = SafeGgufHandle.FromNative(file);
        try
        {
            return new GgufFile(handle, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private pxl_status FindTensorIndex(string name, out long index)
    {
        Span<byte> stack = stackalloc byte[Utf8StringBuffer.StackSize];
        using var name8 = new Utf8StringBuffer(name, stack, nameof(name));
        using SafeHandleLease lease = Lease();
        long found = -1;
        pxl_status status;
        fixed (byte* namePointer = name8.WithTerminator)
            status = NativeMethods.pxl_gguf_tensor_find((pxl_gguf*)lease.Pointer, namePointer, &found);
        index = found;
        return status;
    }

    private GgufTensorInfo[] ReadTensorTable()
    {
        var tensors = new GgufTensorInfo[_tensorCount];
        using SafeHandleLease lease = Lease();
        var file = (pxl_gguf*)lease.Pointer;
        long* dims = stackalloc long[NativeMethods.PXL_MAX_DIMS];
        for (int i = 0; i < tensors.Length; i++)
        {
            pxl_gguf_tensor_info info = default;
            info.struct_size = (ulong)sizeof(pxl_gguf_tensor_info);
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_gguf_tensor_get_info(file, i, &info));
            string name = NativeText.FromNullTerminated(info.name);
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_gguf_tensor_get_dims(file, i, dims, NativeMethods.PXL_MAX_DIMS), name);

            int rank = Math.Clamp(info.n_dims, 1, NativeMethods.PXL_MAX_DIMS);
            var shape = new ReadOnlySpan<long>(dims, rank).ToArray();
            string? typeName = NativeText.FromNullTerminatedOrNull(NativeMethods.pxl_tensor_type_name(info.type));
            tensors[i] = new GgufTensorInfo(
                this, i, name, info.type, typeName, shape, (long)info.element_count, (long)info.byte_size, (long)info.file_offset);
        }

        return tensors;
    }

    private void CheckOwner(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.File != this)
            throw new ArgumentException($"Tensor '{tensor.Name}' belongs to another GGUF file.", nameof(tensor));
    }
}
