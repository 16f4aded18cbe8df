using System.Globalization;

namespace PixelLM.Gguf;

/// <summary>
/// Description of one tensor of a <see cref="GgufFile"/>: name, element type, shape and where its data lies.
/// A plain snapshot: it stays readable after the file is disposed.
/// </summary>
public sealed class GgufTensorInfo
{
    private readonly long[] _shape;

    internal GgufTensorInfo(
        GgufFile file, int index, string name, int type, string? typeName, long[] shape, long elementCount, long byteSize, long fileOffset)
    {
        File = file;
        Index = index;
        Name = name;
        RawType = type;
        TypeName = typeName ?? string.Create(CultureInfo.InvariantCulture, $"type_{type}");
        _shape = shape;
        Shape = Array.AsReadOnly(shape);
        ElementCount = elementCount;
        ByteSize = byteSize;
        FileOffset = fileOffset;
    }

    /// <summary>The position of the tensor in the file's tensor table.</summary>
    public int Index { get; }

    /// <summary>The tensor's name, e.g. <c>blk.0.attn_q.weight</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The element type. A number this enum does not name is passed through as is; check
    /// <see cref="Enum.IsDefined{TEnum}(TEnum)"/> or show <see cref="TypeName"/>, which never fails.
    /// </summary>
    public GgufTensorType Type => (GgufTensorType)RawType;

    /// <summary>The element type's number as stored in the file.</summary>
    public int RawType { get; }

    /// <summary>The element type's GGUF name (<c>f32</c>, <c>q4_0</c>, ...), or <c>type_&lt;n&gt;</c> for a number the library does not know.</summary>
    public string TypeName { get; }

    /// <summary>
    /// The dimensions in GGUF order: <c>Shape[0]</c> is the innermost, fastest-varying dimension (the
    /// length of a row), the last is the outermost. So a row-major <c>[rows, columns]</c> matrix has
    /// <c>Shape</c> = <c>[columns, rows]</c>. Between 1 and 4 entries.
    /// </summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/>.</summary>
    public long ElementCount { get; }

    /// <summary>The number of bytes the tensor's data occupies in the file.</summary>
    public long ByteSize { get; }

    /// <summary>The absolute byte offset of the tensor's data in the file.</summary>
    public long FileOffset { get; }

    internal GgufFile File { get; }

    /// <summary>The shape as a new array, innermost dimension first (see <see cref="Shape"/>).</summary>
    public long[] GetShape() => (long[])_shape.Clone();

    /// <summary>"name type [d0, d1, ...]" for display.</summary>
    public override string ToString() =>
        $"{Name} {TypeName} [{string.Join(", ", _shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}]";
}
