using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using PixelLM.Interop;

namespace PixelLM.Gguf;

/// <summary>
/// The metadata of a <see cref="GgufFile"/>: its key-value pairs in file order, with look-up by key.
/// </summary>
/// <remarks>
/// Entries are read from the file the first time they are asked for and kept; look-up by key is done by
/// the native library without reading the other entries. Every member needs the file to be open.
/// The typed getters (<see cref="GetString"/>, <see cref="GetUInt32"/>, ...) throw
/// <see cref="PixelLmNotFoundException"/> for a missing key and <see cref="PixelLmTypeMismatchException"/>
/// for a value of another type; use <see cref="TryGetValue"/> for optional keys.
/// </remarks>
public sealed unsafe class GgufMetadata : IReadOnlyList<GgufMetadataEntry>
{
    private readonly GgufFile _file;
    private readonly StrongBox<GgufMetadataEntry>?[] _entries;

    internal GgufMetadata(GgufFile file, int count)
    {
        _file = file;
        _entries = new StrongBox<GgufMetadataEntry>?[count];
    }

    /// <summary>The number of key-value pairs.</summary>
    public int Count => _entries.Length;

    /// <summary>The pair at <paramref name="index"/>, in file order.</summary>
    /// <param name="index">0 &lt;= index &lt; <see cref="Count"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public GgufMetadataEntry this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            _file.ThrowIfDisposed();
            // Racing readers may both decode an entry; they produce equal entries, so either may win. The
            // box makes publication one reference store, never a torn struct.
            StrongBox<GgufMetadataEntry>? entry = Volatile.Read(ref _entries[index]);
            if (entry is null)
            {
                entry = new StrongBox<GgufMetadataEntry>(ReadEntry(index));
                Volatile.Write(ref _entries[index], entry);
            }

            return entry.Value;
        }
    }

    /// <summary>The keys, in file order.</summary>
    public IEnumerable<string> Keys => this.Select(entry => entry.Key);

    /// <summary>True when the file has metadata key <paramref name="key"/>.</summary>
    /// <param name="key">The key, e.g. <c>general.architecture</c>.</param>
    public bool ContainsKey(string key) => FindIndex(key) >= 0;

    /// <summary>Looks up <paramref name="key"/>.</summary>
    /// <param name="key">The key, e.g. <c>general.architecture</c>.</param>
    /// <param name="value">The value when found, else null.</param>
    /// <returns>True when found.</returns>
    public bool TryGetValue(string key, [NotNullWhen(true)] out GgufValue? value)
    {
        int index = FindIndex(key);
        value = index >= 0 ? this[index].Value : null;
        return value is not null;
    }

    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <param name="key">The key, e.g. <c>general.architecture</c>.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    public GgufValue GetValue(string key)
    {
        if (!TryGetValue(key, out GgufValue? value))
            throw new PixelLmNotFoundException($"The GGUF file has no metadata key '{key}'.", string.Empty);
        return value;
    }

    /// <summary>The string value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    /// <exception cref="PixelLmTypeMismatchException">The value is not a string.</exception>
    public string GetString(string key) => GetValue(key).AsString();

    /// <summary>The boolean value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    /// <exception cref="PixelLmTypeMismatchException">The value is not a bool.</exception>
    public bool GetBoolean(string key) => GetValue(key).AsBoolean();

    /// <summary>The uint32 value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    /// <exception cref="PixelLmTypeMismatchException">The value is not a uint32.</exception>
    public uint GetUInt32(string key) => GetValue(key).AsUInt32();

    /// <summary>The int32 value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    /// <exception cref="PixelLmTypeMismatchException">The value is not an int32.</exception>
    public int GetInt32(string key) => GetValue(key).AsInt32();

    /// <summary>The uint64 value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    /// <exception cref="PixelLmTypeMismatchException">The value is not a uint64.</exception>
    public ulong GetUInt64(string key) => GetValue(key).AsUInt64();

    /// <summary>The int64 value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    /// <exception cref="PixelLmTypeMismatchException">The value is not an int64.</exception>
    public long GetInt64(string key) => GetValue(key).AsInt64();

    /// <summary>The float32 value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    /// <exception cref="PixelLmTypeMismatchException">The value is not a float32.</exception>
    public float GetFloat32(string key) => GetValue(key).AsFloat32();

    /// <summary>The float64 value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    /// <exception cref="PixelLmTypeMismatchException">The value is not a float64.</exception>
    public double GetFloat64(string key) => GetValue(key).AsFloat64();

    /// <summary>The strings of the array of strings at <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    /// <exception cref="PixelLmTypeMismatchException">The value is not an array of strings.</exception>
    public string[] GetStringArray(string key) => GetValue(key).ToStringArray();

    /// <summary>The elements of the numeric or boolean array at <paramref name="key"/>; see <see cref="GgufValue.ToArray{T}"/>.</summary>
    /// <typeparam name="T">The .NET type matching the element type exactly.</typeparam>
    /// <param name="key">The key.</param>
    /// <exception cref="PixelLmNotFoundException">The file has no such key.</exception>
    /// <exception cref="PixelLmTypeMismatchException">The value is not an array of <typeparamref name="T"/>.</exception>
    public T[] GetArray<T>(string key)
        where T : unmanaged
        => GetValue(key).ToArray<T>();

    /// <summary>Enumerates the pairs in file order.</summary>
    public IEnumerator<GgufMetadataEntry> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
            yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int FindIndex(string key)
    {
        Span<byte> stack = stackalloc byte[Utf8StringBuffer.StackSize];
        using var key8 = new Utf8StringBuffer(key, stack, nameof(key));
        using SafeHandleLease lease = _file.Lease();
        long index;
        pxl_status status;
        fixed (byte* keyPointer = key8.WithTerminator)
            status = NativeMethods.pxl_gguf_metadata_find((pxl_gguf*)lease.Pointer, keyPointer, &index);
        if (status == pxl_status.PXL_STATUS_NOT_FOUND)
            return -1;
        NativeStatus.ThrowIfFailed(status, key);
        return checked((int)index);
    }

    private GgufMetadataEntry ReadEntry(int index)
    {
        using SafeHandleLease lease = _file.Lease();
        var file = (pxl_gguf*)lease.Pointer;

        byte* keyPointer = null;
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_gguf_metadata_key(file, index, &keyPointer));
        string key = NativeText.FromNullTerminated(keyPointer);

        pxl_gguf_value raw = default;
        raw.struct_size = (ulong)sizeof(pxl_gguf_value);
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_gguf_metadata_get(file, index, &raw), key);
        return new GgufMetadataEntry(key, new GgufValue(_file, key, raw));
    }
}
