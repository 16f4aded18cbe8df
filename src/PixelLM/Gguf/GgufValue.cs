using System.Globalization;
using System.Text;
using PixelLM.Interop;

namespace PixelLM.Gguf;

/// <summary>
/// One GGUF metadata value, or one element of a metadata array.
/// </summary>
/// <remarks>
/// <para>
/// Scalars and strings are copied out of the file when the value is read, so they stay usable after the
/// file is disposed. Array elements are read from the file on demand (<see cref="GetElement"/>,
/// <see cref="ToArray{T}"/>, <see cref="ToStringArray"/>), which needs the file to be open.
/// </para>
/// <para>
/// The typed accessors (<see cref="AsUInt32"/>, <see cref="AsString"/>, ...) are strict: asking for
/// another type than <see cref="Type"/> throws <see cref="PixelLmTypeMismatchException"/> naming the key,
/// both types and nothing else; no silent widening or narrowing.
/// </para>
/// </remarks>
public sealed unsafe class GgufValue
{
    private const int ToStringMaxElements = 8;

    private readonly GgufFile _file;
    // The key this value belongs to, with [i] appended for array elements; named in error messages.
    private readonly string _name;
    private readonly ulong _uint;
    private readonly long _int;
    private readonly double _float;
    private readonly string? _string;
    private readonly ulong _arrayId;

    internal GgufValue(GgufFile file, string name, in pxl_gguf_value raw)
    {
        _file = file;
        _name = name;
        Type = (GgufValueType)(int)raw.type;
        _uint = raw.uint_value;
        _int = raw.int_value;
        _float = raw.float_value;
        if (Type == GgufValueType.String)
        {
            // Borrowed until the file is freed: decode now so the value outlives the file.
            _string = NativeText.FromUtf8(raw.string_data, raw.count);
            Count = 1;
        }
        else if (Type == GgufValueType.Array)
        {
            ElementType = (GgufValueType)(int)raw.element_type;
            _arrayId = raw.array_id;
            Count = checked((long)raw.count);
        }
        else
        {
            Count = 1;
        }
    }

    /// <summary>The type of this value.</summary>
    public GgufValueType Type { get; }

    /// <summary>For an array, the type of its elements; null for any other value.</summary>
    public GgufValueType? ElementType { get; }

    /// <summary>For an array, the number of its elements; 1 for any other value (a string counts as one value).</summary>
    public long Count { get; }

    /// <summary>True when <see cref="Type"/> is <see cref="GgufValueType.Array"/>.</summary>
    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>
    /// The type as GGUF tools write it: <c>uint32</c>, <c>string</c>, ..., and <c>array[string]</c> for an
    /// array of strings (<c>array[array]</c> for an array of arrays).
    /// </summary>
    public string TypeName => ElementType is { } element ? $"array[{GetTypeName(element)}]" : GetTypeName(Type);

    /// <summary>The value as <see cref="byte"/>; the type must be <see cref="GgufValueType.UInt8"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public byte AsUInt8() => (byte)Expect(GgufValueType.UInt8)._uint;

    /// <summary>The value as <see cref="sbyte"/>; the type must be <see cref="GgufValueType.Int8"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public sbyte AsInt8() => (sbyte)Expect(GgufValueType.Int8)._int;

    /// <summary>The value as <see cref="ushort"/>; the type must be <see cref="GgufValueType.UInt16"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public ushort AsUInt16() => (ushort)Expect(GgufValueType.UInt16)._uint;

    /// <summary>The value as <see cref="short"/>; the type must be <see cref="GgufValueType.Int16"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public short AsInt16() => (short)Expect(GgufValueType.Int16)._int;

    /// <summary>The value as <see cref="uint"/>; the type must be <see cref="GgufValueType.UInt32"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public uint AsUInt32() => (uint)Expect(GgufValueType.UInt32)._uint;

    /// <summary>The value as <see cref="int"/>; the type must be <see cref="GgufValueType.Int32"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public int AsInt32() => (int)Expect(GgufValueType.Int32)._int;

    /// <summary>The value as <see cref="ulong"/>; the type must be <see cref="GgufValueType.UInt64"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public ulong AsUInt64() => Expect(GgufValueType.UInt64)._uint;

    /// <summary>The value as <see cref="long"/>; the type must be <see cref="GgufValueType.Int64"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public long AsInt64() => Expect(GgufValueType.Int64)._int;

    /// <summary>The value as <see cref="float"/>; the type must be <see cref="GgufValueType.Float32"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public float AsFloat32() => (float)Expect(GgufValueType.Float32)._float;

    /// <summary>The value as <see cref="double"/>; the type must be <see cref="GgufValueType.Float64"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public double AsFloat64() => Expect(GgufValueType.Float64)._float;

    /// <summary>The value as <see cref="bool"/>; the type must be <see cref="GgufValueType.Bool"/>.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public bool AsBoolean() => Expect(GgufValueType.Bool)._uint != 0;

    /// <summary>
    /// The value as a string; the type must be <see cref="GgufValueType.String"/>. Invalid UTF-8 in the file
    /// is decoded as U+FFFD replacement characters.
    /// </summary>
    /// <exception cref="PixelLmTypeMismatchException">The value has another type.</exception>
    public string AsString() => Expect(GgufValueType.String)._string!;

    /// <summary>Element <paramref name="index"/> of an array (which may itself be an array). Needs the file open.</summary>
    /// <param name="index">0 &lt;= index &lt; <see cref="Count"/>.</param>
    /// <exception cref="PixelLmTypeMismatchException">The value is not an array.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public GgufValue GetElement(long index)
    {
        Expect(GgufValueType.Array);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);

        string name = string.Create(CultureInfo.InvariantCulture, $"{_name}[{index}]");
        using SafeHandleLease lease = _file.Lease();
        pxl_gguf_value raw = default;
        raw.struct_size = (ulong)sizeof(pxl_gguf_value);
        NativeStatus.ThrowIfFailed(
            NativeMethods.pxl_gguf_array_get((pxl_gguf*)lease.Pointer, _arrayId, (ulong)index, &raw), _name);
        return new GgufValue(_file, name, raw);
    }

    /// <summary>Element <paramref name="index"/> of an array; see <see cref="GetElement"/>.</summary>
    /// <param name="index">0 &lt;= index &lt; <see cref="Count"/>.</param>
    public GgufValue this[long index] => GetElement(index);

    /// <summary>The elements of an array, read one by one as the sequence is enumerated. Needs the file open.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value is not an array.</exception>
    public IEnumerable<GgufValue> EnumerateElements()
    {
        Expect(GgufValueType.Array);
        return Enumerate();

        IEnumerable<GgufValue> Enumerate()
        {
            for (long i = 0; i < Count; i++)
                yield return GetElement(i);
        }
    }

    /// <summary>
    /// Copies a numeric or boolean array in one call. <typeparamref name="T"/> must match the element type
    /// exactly: <see cref="byte"/> for uint8, <see cref="sbyte"/> int8, <see cref="ushort"/> uint16,
    /// <see cref="short"/> int16, <see cref="uint"/> uint32, <see cref="int"/> int32, <see cref="ulong"/>
    /// uint64, <see cref="long"/> int64, <see cref="float"/> float32, <see cref="double"/> float64,
    /// <see cref="bool"/> bool. Needs the file open.
    /// </summary>
    /// <exception cref="PixelLmTypeMismatchException">The value is not an array of <typeparamref name="T"/>.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        ExpectArrayOf<T>();
        if (Count > Array.MaxLength)
            throw new NotSupportedException($"{_name} has {Count} elements, more than a .NET array holds.");
        var result = new T[Count];
        CopyTo(0, result.AsSpan());
        return result;
    }

    /// <summary>
    /// Copies <c>destination.Length</c> elements of a numeric or boolean array, starting at element
    /// <paramref name="first"/>, into <paramref name="destination"/>. Type rules as in <see cref="ToArray{T}"/>.
    /// </summary>
    /// <param name="first">The first element to copy.</param>
    /// <param name="destination">Receives the elements; its length is the number copied.</param>
    /// <exception cref="PixelLmTypeMismatchException">The value is not an array of <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the array.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public void CopyTo<T>(long first, Span<T> destination)
        where T : unmanaged
    {
        ExpectArrayOf<T>();
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, Count - destination.Length, nameof(first));
        if (destination.IsEmpty)
            return;

        using SafeHandleLease lease = _file.Lease();
        fixed (T* dst = destination)
        {
            NativeStatus.ThrowIfFailed(
                NativeMethods.pxl_gguf_array_copy(
                    (pxl_gguf*)lease.Pointer, _arrayId, (ulong)first, (ulong)destination.Length, dst,
                    (ulong)destination.Length * (ulong)sizeof(T)),
                _name);
        }
    }

    /// <summary>The strings of an array of strings. Needs the file open.</summary>
    /// <exception cref="PixelLmTypeMismatchException">The value is not an array of strings.</exception>
    /// <exception cref="ObjectDisposedException">The file was disposed.</exception>
    public string[] ToStringArray()
    {
        Expect(GgufValueType.Array);
        if (ElementType != GgufValueType.String)
            throw Mismatch("array[string]");
        if (Count > Array.MaxLength)
            throw new NotSupportedException($"{_name} has {Count} elements, more than a .NET array holds.");

        var result = new string[Count];
        using SafeHandleLease lease = _file.Lease();
        var file = (pxl_gguf*)lease.Pointer;
        pxl_gguf_value raw = default;
        for (long i = 0; i < result.Length; i++)
        {
            raw = default;
            raw.struct_size = (ulong)sizeof(pxl_gguf_value);
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_gguf_array_get(file, _arrayId, (ulong)i, &raw), _name);
            result[i] = NativeText.FromUtf8(raw.string_data, raw.count);
        }

        return result;
    }

    /// <summary>
    /// The value for display, in invariant culture: numbers as .NET prints them (floats round-trip),
    /// <c>true</c>/<c>false</c>, strings as they are, and arrays as <c>[n × type] e0, e1, …</c> with the first
    /// few elements (strings quoted). Reading array elements needs the file open.
    /// </summary>
    public override string ToString()
    {
        if (!IsArray)
            return FormatScalar(quoteStrings: false);

        var text = new StringBuilder();
        text.Append('[').Append(Count.ToString(CultureInfo.InvariantCulture)).Append(" × ")
            .Append(GetTypeName(ElementType!.Value)).Append(']');
        long shown = Math.Min(Count, ToStringMaxElements);
        for (long i = 0; i < shown; i++)
        {
            text.Append(i == 0 ? " " : ", ");
            GgufValue element = GetElement(i);
            text.Append(element.IsArray ? $"[{element.Count} × {GetTypeName(element.ElementType!.Value)}]" : element.FormatScalar(quoteStrings: true));
        }

        if (shown < Count)
            text.Append(", …");
        return text.ToString();
    }

    /// <summary>The GGUF name of a value type: <c>uint8</c>, ..., <c>float64</c>; <c>type_&lt;n&gt;</c> for an unknown number.</summary>
    /// <param name="type">The type.</param>
    public static string GetTypeName(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => "uint8",
        GgufValueType.Int8 => "int8",
        GgufValueType.UInt16 => "uint16",
        GgufValueType.Int16 => "int16",
        GgufValueType.UInt32 => "uint32",
        GgufValueType.Int32 => "int32",
        GgufValueType.Float32 => "float32",
        GgufValueType.Bool => "bool",
        GgufValueType.String => "string",
        GgufValueType.Array => "array",
        GgufValueType.UInt64 => "uint64",
        GgufValueType.Int64 => "int64",
        GgufValueType.Float64 => "float64",
        _ => string.Create(CultureInfo.InvariantCulture, $"type_{(int)type}"),
    };

    private string FormatScalar(bool quoteStrings) => Type switch
    {
        GgufValueType.UInt8 or GgufValueType.UInt16 or GgufValueType.UInt32 or GgufValueType.UInt64
            => _uint.ToString(CultureInfo.InvariantCulture),
        GgufValueType.Int8 or GgufValueType.Int16 or GgufValueType.Int32 or GgufValueType.Int64
            => _int.ToString(CultureInfo.InvariantCulture),
        GgufValueType.Float32 => ((float)_float).ToString(CultureInfo.InvariantCulture),
        GgufValueType.Float64 => _float.ToString(CultureInfo.InvariantCulture),
        GgufValueType.Bool => _uint != 0 ? "true" : "false",
        GgufValueType.String => quoteStrings ? Quote(_string!) : _string!,
        _ => $"<{GetTypeName(Type)}>",
    };

    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2);
        quoted.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                        quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        quoted.Append(c);
                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    private GgufValue Expect(GgufValueType expected)
    {
        if (Type != expected)
            throw Mismatch(GetTypeName(expected));
        return this;
    }

    private void ExpectArrayOf<T>()
        where T : unmanaged
    {
        GgufValueType? wanted = GgufElementTypes.Of<T>();
        if (wanted is null)
            throw new ArgumentException($"{typeof(T).Name} is not a GGUF array element type.", nameof(T));
        if (ElementType != wanted)
            throw Mismatch($"array[{GetTypeName(wanted.Value)}]");
    }

    private PixelLmTypeMismatchException Mismatch(string wanted) =>
        new($"{_name} is {TypeName}, not {wanted}.", string.Empty);
}
