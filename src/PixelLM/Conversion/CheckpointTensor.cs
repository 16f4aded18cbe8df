using System.Buffers.Binary;

namespace PixelLM.Conversion;

/// <summary>
/// One tensor of a checkpoint file as its header describes it; the data stays in the file until
/// <see cref="ReadFloat32"/> is called, so a whole checkpoint can be listed without reading it.
/// </summary>
public sealed class CheckpointTensor
{
    // Bytes converted per chunk: bounds the temporary byte buffer next to the caller's f32 copy.
    private const int ChunkBytes = 1 << 20;

    private readonly ITensorDataSource _data;

    internal CheckpointTensor(string name, string filePath, CheckpointDType dType, string dTypeName, long[] shape, ITensorDataSource data)
    {
        Name = name;
        FilePath = filePath;
        DType = dType;
        DTypeName = dTypeName;
        Shape = shape;
        _data = data;
        long count = 1;
        foreach (long dim in shape)
            count = checked(count * dim);
        ElementCount = count;
    }

    /// <summary>The tensor's name in the checkpoint (<c>model.layers.0.self_attn.q_proj.weight</c>).</summary>
    public string Name { get; }

    /// <summary>The file that holds it.</summary>
    public string FilePath { get; }

    /// <summary>Its stored element type.</summary>
    public CheckpointDType DType { get; }

    /// <summary>The stored type as the file names it (<c>BF16</c>, <c>I64</c>, <c>torch.HalfStorage</c>).</summary>
    public string DTypeName { get; }

    /// <summary>The shape in PyTorch order (outermost dimension first); empty for a scalar.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The number of elements.</summary>
    public long ElementCount { get; }

    /// <summary>The shape as text, <c>[4096, 11008]</c>, for messages.</summary>
    public string ShapeText => FormatShape(Shape);

    /// <summary>Reads the tensor converted to f32, row-major.</summary>
    /// <param name="destination">Exactly <see cref="ElementCount"/> elements.</param>
    /// <exception cref="PixelLmUnsupportedException">The stored type is not F32, F16 or BF16.</exception>
    public void ReadFloat32(Span<float> destination)
    {
        if (destination.Length != ElementCount)
            throw new ArgumentException($"Tensor '{Name}' has {ElementCount} elements, not {destination.Length}.", nameof(destination));
        int size = DType switch
        {
            CheckpointDType.F32 => 4,
            CheckpointDType.F16 or CheckpointDType.BF16 => 2,
            _ => throw ConversionErrors.Unsupported($"{FilePath}: tensor '{Name}': dtype {DTypeName} is not supported (F32, F16 and BF16 are)"),
        };

        byte[] chunk = new byte[(int)Math.Min(ChunkBytes, Math.Max(ElementCount * size, 1))];
        int perChunk = chunk.Length / size;
        for (long done = 0; done < ElementCount;)
        {
            int count = (int)Math.Min(perChunk, ElementCount - done);
            Span<byte> bytes = chunk.AsSpan(0, count * size);
            _data.Read(done * size, bytes);
            Span<float> target = destination.Slice((int)done, count);
            Convert(bytes, target);
            done += count;
        }
    }

    internal static string FormatShape(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";

    private void Convert(ReadOnlySpan<byte> bytes, Span<float> target)
    {
        switch (DType)
        {
            case CheckpointDType.F32:
                for (int i = 0; i < target.Length; i++)
                    target[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
                break;
            case CheckpointDType.F16:
                for (int i = 0; i < target.Length; i++)
                    target[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            default:
                // bf16 is the upper 16 bits of an f32, so widening is exact.
                for (int i = 0; i < target.Length; i++)
                    target[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                break;
        }
    }
}
