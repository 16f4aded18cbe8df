namespace PixelLM.Conversion;

/// <summary>One step of a conversion, reported after each tensor is written.</summary>
/// <param name="TensorName">The tensor just written (its GGUF name).</param>
/// <param name="FileName">The file it went to: <c>llm.gguf</c> or <c>pixel.gguf</c>.</param>
/// <param name="Index">How many tensors are written, this one included.</param>
/// <param name="Count">How many tensors both files hold.</param>
/// <param name="BytesWritten">Tensor bytes written so far, over both files.</param>
/// <param name="TotalBytes">Tensor bytes of both files.</param>
/// <param name="Note">A remark on this tensor (a type fallback), or null.</param>
public readonly record struct ConversionProgress(
    string TensorName, string FileName, int Index, int Count, long BytesWritten, long TotalBytes, string? Note);
