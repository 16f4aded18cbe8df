namespace PixelLM.Conversion;

/// <summary>What happens to a checkpoint tensor's values on the way into GGUF.</summary>
internal enum TensorTransform
{
    /// <summary>Copied (and converted to the output type).</summary>
    None,

    /// <summary>A Q projection: rows reordered for llama.cpp's RoPE (<see cref="RopeRowOrder"/>), with the attention head count.</summary>
    RopeQ,

    /// <summary>A K projection: as <see cref="RopeQ"/> with the key/value head count.</summary>
    RopeK,

    /// <summary>The CLIP position table, replaced by its stretched form (<see cref="PositionTableStretch"/>).</summary>
    StretchPositions,
}
