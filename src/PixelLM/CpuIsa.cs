namespace PixelLM;

/// <summary>Instruction-set levels of the native CPU kernels, mirroring <c>pxl_cpu_isa</c>.</summary>
public enum CpuIsa
{
    /// <summary>Portable scalar code; runs everywhere.</summary>
    Scalar = 0,

    /// <summary>AVX2 with FMA and F16C.</summary>
    Avx2 = 1,

    /// <summary>AVX-512 F/BW/DQ/VL with VNNI and BF16.</summary>
    Avx512 = 2,
}
