using System.Buffers;
using PixelLM.Interop;

namespace PixelLM.Gguf;

/// <summary>
/// Writes a GGUF file (version 3).
/// </summary>
/// <remarks>
/// <para>
/// The life of a writer: set metadata and declare tensors with <see cref="AddTensor"/> (in any order);
/// <see cref="Begin"/> writes the header to a temporary file beside the target path; then
/// <see cref="WriteTensor(ReadOnlySpan{float})"/> or <see cref="WriteTensor(ReadOnlySpan{byte})"/> once for
/// every tensor, in declaration order; then <see cref="Finish"/> renames the file into place. A writer
/// disposed before <see cref="Finish"/> deletes its temporary file, so a failed or abandoned write leaves
/// nothing behind. Calls out of this order throw <see cref="PixelLmInvalidStateException"/>.
/// </para>
/// <para>
/// Setting a key again replaces its value in place. <c>general.alignment</c> (a uint32 power of two) sets
/// the data alignment of the file. A writer is used by one thread at a time.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// using var writer = new GgufWriter();
/// writer.SetString("general.architecture", "llama");
/// writer.AddTensor("output.weight", GgufTensorType.Q8_0, 4096, 32000); // innermost dimension first
/// writer.Begin("model.gguf");
/// writer.WriteTensor(weights);                                         // f32, quantized on the way
/// writer.Finish();
/// </code>
/// </example>
public sealed unsafe class GgufWriter : IDisposable
{
    private readonly SafeGgufWriterHandle _handle;

    /// <summary>Creates an empty writer.</summary>
    /// <exception cref="PixelLmNativeLibraryException">The native library cannot be loaded.</exception>
    public GgufWriter()
    {
        NativeLibraryLoader.EnsureInitialized();
        pxl_gguf_writer* writer = null;
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_gguf_writer_create(&writer));
        _handle = SafeGgufWriterHandle.FromNative(writer);
    }

    /// <summary>Sets <paramref name="key"/> to a uint8 value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetUInt8(string key, byte value) => SetScalar(key, value, &NativeMethods.pxl_gguf_writer_set_u8);

    /// <summary>Sets <paramref name="key"/> to an int8 value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetInt8(string key, sbyte value) => SetScalar(key, value, &NativeMethods.pxl_gguf_writer_set_i8);

    /// <summary>Sets <paramref name="key"/> to a uint16 value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetUInt16(string key, ushort value) => SetScalar(key, value, &NativeMethods.pxl_gguf_writer_set_u16);

    /// <summary>Sets <paramref name="key"/> to an int16 value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetInt16(string key, short value) => SetScalar(key, value, &NativeMethods.pxl_gguf_writer_set_i16);

    /// <summary>Sets <paramref name="key"/> to a uint32 value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetUInt32(string key, uint value) => SetScalar(key, value, &NativeMethods.pxl_gguf_writer_set_u32);

    /// <summary>Sets <paramref name="key"/> to an int32 value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetInt32(string key, int value) => SetScalar(key, value, &NativeMethods.pxl_gguf_writer_set_i32);

    /// <summary>Sets <paramref name="key"/> to a uint64 value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetUInt64(string key, ulong value) => SetScalar(key, value, &NativeMethods.pxl_gguf_writer_set_u64);

    /// <summary>Sets <paramref name="key"/> to an int64 value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetInt64(string key, long value) => SetScalar(key, value, &NativeMethods.pxl_gguf_writer_set_i64);

    /// <summary>Sets <paramref name="key"/> to a float32 value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetFloat32(string key, float value) => SetScalar(key, value, &NativeMethods.pxl_gguf_writer_set_f32);

    /// <summary>Sets <paramref name="key"/> to a float64 value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetFloat64(string key, double value) => SetScalar(key, value, &NativeMethods.pxl_gguf_writer_set_f64);

    /// <summary>Sets <paramref name="key"/> to a bool value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value.</param>
    public void SetBoolean(string key, bool value) => SetScalar(key, value ? 1 : 0, &NativeMethods.pxl_gguf_writer_set_bool);

    /// <summary>Sets <paramref name="key"/> to a string, stored as UTF-8 (lone surrogates become U+FFFD).</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value; may contain any character, NUL included.</param>
    public void SetString(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        byte[]? rented = null;
        int maxBytes = NativeText.Utf8.GetMaxByteCount(value.Length);
        Span<byte> buffer = maxBytes <= Utf8StringBuffer.StackSize
            ? stackalloc byte[Utf8StringBuffer.StackSize]
            : (rented = ArrayPool<byte>.Shared.Rent(NativeText.Utf8.GetByteCount(value)));
        try
        {
            int length = NativeText.Utf8.GetBytes(value, buffer);
            Span<byte> keyStack = stackalloc byte[Utf8StringBuffer.StackSize];
            using var key8 = new Utf8StringBuffer(key, keyStack, nameof(key));
            using SafeHandleLease lease = Lease();
            byte empty = 0;
            fixed (byte* keyPointer = key8.WithTerminator)
            fixed (byte* valuePointer = buffer)
            {
                NativeStatus.ThrowIfFailed(
                    NativeMethods.pxl_gguf_writer_set_string(
                        (pxl_gguf_writer*)lease.Pointer, keyPointer, valuePointer != null ? valuePointer : &empty, (ulong)length),
                    key);
            }
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Sets <paramref name="key"/> to an array of numbers or booleans. The element type follows
    /// <typeparamref name="T"/>: <see cref="byte"/> uint8, <see cref="sbyte"/> int8, <see cref="ushort"/> uint16,
    /// <see cref="short"/> int16, <see cref="uint"/> uint32, <see cref="int"/> int32, <see cref="ulong"/> uint64,
    /// <see cref="long"/> int64, <see cref="float"/> float32, <see cref="double"/> float64, <see cref="bool"/> bool.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="key">The metadata key.</param>
    /// <param name="values">The elements; may be empty.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not one of the types above.</exception>
    public void SetArray<T>(string key, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        GgufValueType elementType = GgufElementTypes.Of<T>()
            ?? throw new ArgumentException($"{typeof(T).Name} is not a GGUF array element type.", nameof(values));

        Span<byte> keyStack = stackalloc byte[Utf8StringBuffer.StackSize];
        using var key8 = new Utf8StringBuffer(key, keyStack, nameof(key));
        using SafeHandleLease lease = Lease();
        long empty = 0;
        fixed (byte* keyPointer = key8.WithTerminator)
        fixed (T* elements = values)
        {
            NativeStatus.ThrowIfFailed(
                NativeMethods.pxl_gguf_writer_set_array(
                    (pxl_gguf_writer*)lease.Pointer, keyPointer, (pxl_gguf_type)(int)elementType,
                    elements != null ? elements : &empty, (ulong)values.Length),
                key);
        }
    }

    /// <summary>Sets <paramref name="key"/> to an array of strings, each stored as UTF-8.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="values">The strings; may be empty, must not contain null.</param>
    /// <exception cref="ArgumentNullException">An element is null.</exception>
    public void SetStringArray(string key, params ReadOnlySpan<string> values)
    {
        long totalBytes = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
                throw new ArgumentNullException(nameof(values), $"Element {i} is null.");
            totalBytes += NativeText.Utf8.GetByteCount(values[i]);
        }

        if (totalBytes > Array.MaxLength)
            throw new ArgumentException("The strings are too long to pass in one call.", nameof(values));

        int count = Math.Max(values.Length, 1);
        byte[] bytes = ArrayPool<byte>.Shared.Rent((int)Math.Max(totalBytes, 1));
        nint[] pointers = ArrayPool<nint>.Shared.Rent(count);
        ulong[] lengths = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            Span<byte> keyStack = stackalloc byte[Utf8StringBuffer.StackSize];
            using var key8 = new Utf8StringBuffer(key, keyStack, nameof(key));
            using SafeHandleLease lease = Lease();
            fixed (byte* keyPointer = key8.WithTerminator)
            fixed (byte* first = bytes)
            fixed (nint* pointerArray = pointers)
            fixed (ulong* lengthArray = lengths)
            {
                int offset = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    int length = NativeText.Utf8.GetBytes(values[i], bytes.AsSpan(offset));
                    pointers[i] = (nint)(first + offset);
                    lengths[i] = (ulong)length;
                    offset += length;
                }

                NativeStatus.ThrowIfFailed(
                    NativeMethods.pxl_gguf_writer_set_string_array(
                        (pxl_gguf_writer*)lease.Pointer, keyPointer, (byte**)pointerArray, lengthArray, (ulong)values.Length),
                    key);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<nint>.Shared.Return(pointers);
            ArrayPool<ulong>.Shared.Return(lengths);
        }
    }

    /// <summary>
    /// Declares a tensor. Its data is written later, by the <c>WriteTensor</c> call whose turn it is in
    /// declaration order.
    /// </summary>
    /// <param name="name">The tensor's name; unique within the file.</param>
    /// <param name="type">The element type it is stored as.</param>
    /// <param name="shape">
    /// 1 to 4 dimensions, innermost (fastest-varying, the row length) first, as in GGUF; the first must be
    /// a multiple of the type's block size (32 for Q8_0 and Q4_0).
    /// </param>
    /// <exception cref="PixelLmInvalidArgumentException">The name is taken, or the shape is invalid for the type.</exception>
    public void AddTensor(string name, GgufTensorType type, params ReadOnlySpan<long> shape)
    {
        Span<byte> nameStack = stackalloc byte[Utf8StringBuffer.StackSize];
        using var name8 = new Utf8StringBuffer(name, nameStack, nameof(name));
        using SafeHandleLease lease = Lease();
        long empty = 0;
        fixed (byte* namePointer = name8.WithTerminator)
        fixed (long* dims = shape)
        {
            NativeStatus.ThrowIfFailed(
                NativeMethods.pxl_gguf_writer_add_tensor(
                    (pxl_gguf_writer*)lease.Pointer, namePointer, (pxl_tensor_type)(int)type, dims != null ? dims : &empty, shape.Length),
                name);
        }
    }

    /// <summary>
    /// Writes the header, metadata and tensor table to a temporary file beside <paramref name="path"/>.
    /// No metadata or tensor can be added after this.
    /// </summary>
    /// <param name="path">Where the finished file will be; an existing file there is replaced by <see cref="Finish"/>.</param>
    /// <exception cref="PixelLmIOException">The temporary file cannot be created or written.</exception>
    /// <exception cref="PixelLmInvalidStateException">The writer was already begun.</exception>
    public void Begin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Span<byte> pathStack = stackalloc byte[Utf8StringBuffer.StackSize];
        using var path8 = new Utf8StringBuffer(path, pathStack, nameof(path));
        using SafeHandleLease lease = Lease();
        fixed (byte* pathPointer = path8.WithTerminator)
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_gguf_writer_begin((pxl_gguf_writer*)lease.Pointer, pathPointer), path);
    }

    /// <summary>
    /// Writes the stored bytes of the next tensor (declaration order) as they are: already in the
    /// tensor's type and block layout.
    /// </summary>
    /// <param name="data">Exactly the tensor's byte size.</param>
    /// <exception cref="PixelLmInvalidArgumentException">The length differs from the tensor's byte size.</exception>
    /// <exception cref="PixelLmInvalidStateException">Not begun, or every tensor was already written.</exception>
    public void WriteTensor(ReadOnlySpan<byte> data)
    {
        using SafeHandleLease lease = Lease();
        byte empty = 0;
        fixed (byte* pointer = data)
        {
            NativeStatus.ThrowIfFailed(
                NativeMethods.pxl_gguf_writer_write_tensor((pxl_gguf_writer*)lease.Pointer, pointer != null ? pointer : &empty, (ulong)data.Length));
        }
    }

    /// <summary>
    /// Writes the next tensor (declaration order) from f32 values, converted to its type (F32, F16, BF16,
    /// Q8_0 and Q4_0 are convertible; rounding and block scales as GGUF's reference quantizers).
    /// </summary>
    /// <param name="values">Exactly the tensor's element count, innermost dimension fastest.</param>
    /// <exception cref="PixelLmInvalidArgumentException">The length differs from the tensor's element count.</exception>
    /// <exception cref="PixelLmUnsupportedException">The tensor's type cannot be converted from f32.</exception>
    /// <exception cref="PixelLmInvalidStateException">Not begun, or every tensor was already written.</exception>
    public void WriteTensor(ReadOnlySpan<float> values)
    {
        using SafeHandleLease lease = Lease();
        float empty = 0;
        fixed (float* pointer = values)
        {
            NativeStatus.ThrowIfFailed(
                NativeMethods.pxl_gguf_writer_write_tensor_f32((pxl_gguf_writer*)lease.Pointer, pointer != null ? pointer : &empty, (ulong)values.Length));
        }
    }

    /// <summary>Checks that every tensor was written, flushes, and renames the file into place.</summary>
    /// <exception cref="PixelLmInvalidStateException">Not begun, or a tensor was not written.</exception>
    /// <exception cref="PixelLmIOException">Flushing or renaming failed.</exception>
    public void Finish()
    {
        using SafeHandleLease lease = Lease();
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_gguf_writer_finish((pxl_gguf_writer*)lease.Pointer));
    }

    /// <summary>Frees the writer; an unfinished write's temporary file is deleted. Calling it again does nothing.</summary>
    public void Dispose() => _handle.Dispose();

    private SafeHandleLease Lease()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return new SafeHandleLease(_handle);
    }

    private void SetScalar<T>(string key, T value, delegate*<pxl_gguf_writer*, byte*, T, pxl_status> setter)
        where T : unmanaged
    {
        Span<byte> keyStack = stackalloc byte[Utf8StringBuffer.StackSize];
        using var key8 = new Utf8StringBuffer(key, keyStack, nameof(key));
        using SafeHandleLease lease = Lease();
        fixed (byte* keyPointer = key8.WithTerminator)
            NativeStatus.ThrowIfFailed(setter((pxl_gguf_writer*)lease.Pointer, keyPointer, value), key);
    }
}
