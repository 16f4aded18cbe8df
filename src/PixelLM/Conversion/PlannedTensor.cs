using PixelLM.Gguf;

namespace PixelLM.Conversion;

/// <summary>One output tensor: where it comes from, what it is called and stored as, and how it is transformed.</summary>
/// <param name="Name">The GGUF name.</param>
/// <param name="Type">The GGUF type.</param>
/// <param name="Shape">The GGUF shape (innermost dimension first).</param>
/// <param name="Source">The checkpoint tensor.</param>
/// <param name="Transform">The value transform.</param>
/// <param name="ToLlm">True for the LLM file, false for the pixel file.</param>
/// <param name="Note">A remark for the progress log (a type fallback), or null.</param>
internal sealed record PlannedTensor(
    string Name, GgufTensorType Type, long[] Shape, CheckpointTensor Source, TensorTransform Transform, bool ToLlm, string? Note)
{
    /// <summary>The number of elements.</summary>
    internal long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The bytes this tensor takes in the file.</summary>
    internal long ByteSize => Type switch
    {
        GgufTensorType.F32 => ElementCount * 4,
        GgufTensorType.Q8_0 => ElementCount / 32 * 34,
        GgufTensorType.Q4_0 => ElementCount / 32 * 18,
        _ => ElementCount * 2,
    };
}
