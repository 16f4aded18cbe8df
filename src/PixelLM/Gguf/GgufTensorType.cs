namespace PixelLM.Gguf;

/// <summary>
/// Element type of a tensor, numbered as in GGUF (mirrors <c>pxl_tensor_type</c>). The member names are
/// GGUF's own type names in upper case, kept with their underscores so they read as in every other GGUF tool.
/// A file can hold a number this enum does not name; <see cref="GgufTensorInfo.TypeName"/> shows such a
/// number as <c>type_&lt;n&gt;</c> instead of failing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores",
    Justification = "GGUF's own type names (Q4_0, Q8_0, IQ2_XXS) are the names users search for.")]
public enum GgufTensorType
{
    /// <summary>32-bit IEEE float. GGUF type 0 (<c>f32</c>).</summary>
    F32 = 0,

    /// <summary>16-bit IEEE float. GGUF type 1 (<c>f16</c>).</summary>
    F16 = 1,

    /// <summary>4-bit blocks of 32 with an f16 scale: value = (q − 8)·d. GGUF type 2 (<c>q4_0</c>).</summary>
    Q4_0 = 2,

    /// <summary>4-bit blocks of 32 with an f16 scale and minimum. GGUF type 3 (<c>q4_1</c>).</summary>
    Q4_1 = 3,

    /// <summary>5-bit blocks of 32 with an f16 scale. GGUF type 6 (<c>q5_0</c>).</summary>
    Q5_0 = 6,

    /// <summary>5-bit blocks of 32 with an f16 scale and minimum. GGUF type 7 (<c>q5_1</c>).</summary>
    Q5_1 = 7,

    /// <summary>8-bit blocks of 32 with an f16 scale: value = q·d. GGUF type 8 (<c>q8_0</c>).</summary>
    Q8_0 = 8,

    /// <summary>8-bit blocks of 32 with a scale and sum. GGUF type 9 (<c>q8_1</c>).</summary>
    Q8_1 = 9,

    /// <summary>2-bit k-quant (super-blocks of 256). GGUF type 10 (<c>q2_k</c>).</summary>
    Q2_K = 10,

    /// <summary>3-bit k-quant (super-blocks of 256). GGUF type 11 (<c>q3_k</c>).</summary>
    Q3_K = 11,

    /// <summary>4-bit k-quant (super-blocks of 256). GGUF type 12 (<c>q4_k</c>).</summary>
    Q4_K = 12,

    /// <summary>5-bit k-quant (super-blocks of 256). GGUF type 13 (<c>q5_k</c>).</summary>
    Q5_K = 13,

    /// <summary>6-bit k-quant (super-blocks of 256). GGUF type 14 (<c>q6_k</c>).</summary>
    Q6_K = 14,

    /// <summary>8-bit k-quant (super-blocks of 256). GGUF type 15 (<c>q8_k</c>).</summary>
    Q8_K = 15,

    /// <summary>2.06-bit i-quant. GGUF type 16 (<c>iq2_xxs</c>).</summary>
    IQ2_XXS = 16,

    /// <summary>2.31-bit i-quant. GGUF type 17 (<c>iq2_xs</c>).</summary>
    IQ2_XS = 17,

    /// <summary>3.06-bit i-quant. GGUF type 18 (<c>iq3_xxs</c>).</summary>
    IQ3_XXS = 18,

    /// <summary>1.56-bit i-quant. GGUF type 19 (<c>iq1_s</c>).</summary>
    IQ1_S = 19,

    /// <summary>4-bit non-linear i-quant (blocks of 32). GGUF type 20 (<c>iq4_nl</c>).</summary>
    IQ4_NL = 20,

    /// <summary>3.44-bit i-quant. GGUF type 21 (<c>iq3_s</c>).</summary>
    IQ3_S = 21,

    /// <summary>2.5-bit i-quant. GGUF type 22 (<c>iq2_s</c>).</summary>
    IQ2_S = 22,

    /// <summary>4.25-bit non-linear i-quant. GGUF type 23 (<c>iq4_xs</c>).</summary>
    IQ4_XS = 23,

    /// <summary>8-bit signed integer. GGUF type 24 (<c>i8</c>).</summary>
    I8 = 24,

    /// <summary>16-bit signed integer. GGUF type 25 (<c>i16</c>).</summary>
    I16 = 25,

    /// <summary>32-bit signed integer. GGUF type 26 (<c>i32</c>).</summary>
    I32 = 26,

    /// <summary>64-bit signed integer. GGUF type 27 (<c>i64</c>).</summary>
    I64 = 27,

    /// <summary>64-bit IEEE float. GGUF type 28 (<c>f64</c>).</summary>
    F64 = 28,

    /// <summary>1.75-bit i-quant. GGUF type 29 (<c>iq1_m</c>).</summary>
    IQ1_M = 29,

    /// <summary>bfloat16: the upper 16 bits of an f32. GGUF type 30 (<c>bf16</c>).</summary>
    BF16 = 30,

    /// <summary>1.69-bit ternary quant. GGUF type 34 (<c>tq1_0</c>).</summary>
    TQ1_0 = 34,

    /// <summary>2.06-bit ternary quant. GGUF type 35 (<c>tq2_0</c>).</summary>
    TQ2_0 = 35,

    /// <summary>4-bit microscaling float (E2M1 with an E8M0 block scale). GGUF type 39 (<c>mxfp4</c>).</summary>
    MXFP4 = 39,
}
