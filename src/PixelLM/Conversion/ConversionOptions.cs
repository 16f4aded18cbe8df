using PixelLM.Gguf;

namespace PixelLM.Conversion;

/// <summary>What <see cref="CheckpointConverter.Convert"/> reads and writes.</summary>
public sealed record ConversionOptions
{
    /// <summary>The Hugging Face PixelLM checkpoint directory (config.json, tokenizer.model, added_tokens.json, weights).</summary>
    public required string CheckpointDirectory { get; init; }

    /// <summary>
    /// The CLIP checkpoint the model was built on; null to use the config's <c>mm_vision_tower</c> resolved
    /// against the checkpoint's parent directory (see <see cref="CheckpointConverter.ResolveClipDirectory"/>).
    /// </summary>
    public string? ClipDirectory { get; init; }

    /// <summary>Where <c>llm.gguf</c> and <c>pixel.gguf</c> go; created when missing.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Type of the LLM's matrices: F32, F16, Q8_0 or Q4_0 (norms stay F32).</summary>
    public GgufTensorType LlmType { get; init; } = GgufTensorType.F16;

    /// <summary>Type of the pixel file's matrices and conv kernels: F32 or F16 (norms, biases, embeddings and PE stay F32).</summary>
    public GgufTensorType VisionType { get; init; } = GgufTensorType.F16;
}
