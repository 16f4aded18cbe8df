namespace PixelLM.Pixel;

/// <summary>Arithmetic of the vision tower's and the projectors' matrix products.</summary>
public enum VisionComputeType
{
    /// <summary>Single precision, the reference's: the default.</summary>
    Float32 = 0,

    /// <summary>
    /// Inputs and weights rounded to bfloat16, products accumulated in single precision: about twice as fast,
    /// as the released PixelLM ran its tower. Needs a CPU with AVX512_BF16 (the avx512 kernel level);
    /// creating a context with it elsewhere throws <see cref="PixelLmUnsupportedException"/>.
    /// </summary>
    BFloat16 = 1,
}
