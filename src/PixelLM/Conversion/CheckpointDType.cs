namespace PixelLM.Conversion;

/// <summary>The element type a checkpoint stores a tensor in.</summary>
public enum CheckpointDType
{
    /// <summary>IEEE float32.</summary>
    F32,

    /// <summary>IEEE float16.</summary>
    F16,

    /// <summary>bfloat16 (the upper half of a float32).</summary>
    BF16,

    /// <summary>Any other type (integers, float64, ...): listed so that ignored tensors can hold it, refused where read.</summary>
    Unsupported,
}
