using PixelLM.Gguf;

namespace PixelLM.Conversion;

/// <summary>What a finished conversion wrote.</summary>
/// <param name="LlmPath">The LLM file (<c>OUT/llm.gguf</c>).</param>
/// <param name="PixelPath">The pixel file (<c>OUT/pixel.gguf</c>).</param>
/// <param name="LlmBytes">Size of the LLM file.</param>
/// <param name="PixelBytes">Size of the pixel file.</param>
/// <param name="LlmTensors">Tensors in the LLM file.</param>
/// <param name="PixelTensors">Tensors in the pixel file.</param>
/// <param name="LlmType">The LLM matrices' type.</param>
/// <param name="VisionType">The pixel matrices' type.</param>
/// <param name="Elapsed">Wall time of the conversion.</param>
/// <param name="Notes">Remarks made on the way (type fallbacks).</param>
public sealed record ConversionResult(
    string LlmPath, string PixelPath, long LlmBytes, long PixelBytes, int LlmTensors, int PixelTensors,
    GgufTensorType LlmType, GgufTensorType VisionType, TimeSpan Elapsed, IReadOnlyList<string> Notes);
