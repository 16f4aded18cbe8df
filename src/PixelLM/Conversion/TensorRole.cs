namespace PixelLM.Conversion;

/// <summary>Where a checkpoint tensor goes in the converted pair.</summary>
internal enum TensorRole
{
    /// <summary>The LLaMA weights: the LLM file.</summary>
    Llm,

    /// <summary>Vision tower, projectors and mask head: the pixel file.</summary>
    Pixel,

    /// <summary>Present in the checkpoint but never used at inference (spec §10.4): validated, not written.</summary>
    Unused,
}
