namespace PixelLM.Tests.Masks;

/// <summary>
/// Plain scalar versions of the mask kernels, written from the spec (§8.5, §9.1, §9.2, §12.1) one pixel at a
/// time, for the unit tests of the vectorised, parallel <c>CpuMaskKernels</c>.
/// </summary>
internal static class ScalarMaskReference
{
    /// <summary>§12.1 for one output index: (i0, i1, λ0, λ1), the rounding points of torch's CPU kernel.</summary>
    public static (int I0, int I1, float L0, float L1) Tap(int inputSize, int outputSize, int d)
    {
        if (inputSize == outputSize)
            return (d, d, 1f, 0f);
        float scale = (float)inputSize / outputSize;
        double source = Math.Max(scale * (d + 0.5) - 0.5, 0);
        int i0 = (int)Math.Floor(source);
        float l1 = (float)(source - i0);
        return (i0, Math.Min(i0 + 1, inputSize - 1), 1f - l1, l1);
    }

    /// <summary>bilinear(ac=F) of a strided input: rows blended first, fused multiply-adds.</summary>
    public static float[] ResizeStrided(float[] source, int sh, int sw, int height, int width)
    {
        var output = new float[height * width];
        for (int y = 0; y < height; y++)
        {
            (int a0, int a1, float h0, float h1) = Tap(sh, height, y);
            for (int x = 0; x < width; x++)
            {
                (int b0, int b1, float w0, float w1) = Tap(sw, width, x);
                float top = MathF.FusedMultiplyAdd(source[a0 * sw + b0], w0, source[a0 * sw + b1] * w1);
                float bottom = MathF.FusedMultiplyAdd(source[a1 * sw + b0], w0, source[a1 * sw + b1] * w1);
                output[y * width + x] = MathF.FusedMultiplyAdd(top, h0, bottom * h1);
            }
        }
        return output;
    }

    /// <summary>bilinear(ac=F) of a contiguous input, the top-left [rows, columns] kept: four taps summed in double.</summary>
    public static float[] ResizeContiguous(float[] source, int sh, int sw, int height, int width, int rows, int columns)
    {
        var output = new float[rows * columns];
        for (int y = 0; y < rows; y++)
        {
            (int a0, int a1, float h0, float h1) = Tap(sh, height, y);
            for (int x = 0; x < columns; x++)
            {
                (int b0, int b1, float w0, float w1) = Tap(sw, width, x);
                double sum = (double)source[a0 * sw + b0] * (h0 * w0);
                sum += (double)source[a0 * sw + b1] * (h0 * w1);
                sum += (double)source[a1 * sw + b0] * (h1 * w0);
                sum += (double)source[a1 * sw + b1] * (h1 * w1);
                output[y * columns + x] = (float)sum;
            }
        }
        return output;
    }

    /// <summary>§9.2 over whole logits: binary, area, Σσ over the mask (double, σ in double), box.</summary>
    public static (byte[] Binary, long Area, double SigmoidSum, (int X, int Y, int W, int H) Box) Threshold(float[] logits, int height, int width)
    {
        var binary = new byte[logits.Length];
        long area = 0;
        double sum = 0;
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float l = logits[y * width + x];
                if (!(l > 0))
                    continue;
                binary[y * width + x] = 1;
                area++;
                sum += 1 / (1 + Math.Exp(-l));
                (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
            }
        }
        return (binary, area, sum, area == 0 ? (0, 0, 0, 0) : (minX, minY, maxX - minX + 1, maxY - minY + 1));
    }
}
