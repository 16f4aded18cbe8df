namespace PixelLM.Masks;

/// <summary>
/// The source taps of PyTorch's <c>F.interpolate(mode="bilinear", align_corners=False)</c> along one axis
/// (spec §12.1), for the first <see cref="Count"/> outputs of an <c>inputSize → outputSize</c> resize.
/// </summary>
/// <remarks>
/// The rounding points are the CPU kernel's (torch 1.13), checked bit for bit against it over hundreds of
/// size pairs: <c>scale = n / m</c> in f32; the source position <c>max(scale·(d + 0.5) − 0.5, 0)</c> and
/// <c>λ1 = src − i0</c> in double (the kernel's accumulate type), <c>λ1</c> rounded to f32 once and
/// <c>λ0 = 1 − λ1</c> in f32. Equal sizes are the identity (<c>i0 = i1 = d</c>, <c>λ0 = 1</c>).
/// </remarks>
internal sealed class BilinearAxis
{
    private BilinearAxis(int count)
    {
        Index0 = new int[count];
        Index1 = new int[count];
        Weight0 = new float[count];
        Weight1 = new float[count];
    }

    /// <summary>Outputs described (the leading part of the resize: the crop of §9.1 step 3 keeps only these).</summary>
    public int Count => Index0.Length;

    /// <summary>First tap per output, <c>i0 = floor(src)</c>.</summary>
    public int[] Index0 { get; }

    /// <summary>Second tap per output, <c>i0 + 1</c> except at the last input (then <c>i0</c>).</summary>
    public int[] Index1 { get; }

    /// <summary><c>λ0</c> per output, the weight of <see cref="Index0"/>.</summary>
    public float[] Weight0 { get; }

    /// <summary><c>λ1</c> per output, the weight of <see cref="Index1"/>.</summary>
    public float[] Weight1 { get; }

    /// <summary>The taps of outputs <c>0 .. count-1</c> of a resize from <paramref name="inputSize"/> to <paramref name="outputSize"/>.</summary>
    public static BilinearAxis Create(int inputSize, int outputSize, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, outputSize);
        var axis = new BilinearAxis(count);
        float scale = (float)inputSize / outputSize;
        for (int d = 0; d < count; d++)
        {
            if (inputSize == outputSize)
            {
                axis.Index0[d] = axis.Index1[d] = d;
                axis.Weight0[d] = 1f;
                continue;
            }
            double source = Math.Max(scale * (d + 0.5) - 0.5, 0.0);
            int i0 = (int)source;
            float lambda1 = (float)(source - i0);
            axis.Index0[d] = i0;
            axis.Index1[d] = i0 < inputSize - 1 ? i0 + 1 : i0;
            axis.Weight0[d] = 1f - lambda1;
            axis.Weight1[d] = lambda1;
        }
        return axis;
    }
}
