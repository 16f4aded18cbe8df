namespace PixelLM.Conversion;

/// <summary>
/// Reorders the rows of a Q or K projection from Hugging Face's rotate-half RoPE layout to llama.cpp's
/// interleaved one. HF rotates the pair (j, j + head_dim/2) of each head; llama.cpp rotates (2j, 2j+1).
/// Viewing a [heads·head_dim, D] weight's rows as [heads, 2, head_dim/2] and swapping the last two axes to
/// [heads, head_dim/2, 2] puts HF row (h, half, j) at llama.cpp row (h, j, half).
/// </summary>
internal static class RopeRowOrder
{
    /// <summary>Writes the permuted rows of <paramref name="weight"/> ([heads·headDim, rowLength] row-major) to <paramref name="result"/> (same length).</summary>
    internal static void ToInterleaved(ReadOnlySpan<float> weight, int heads, int headDim, int rowLength, Span<float> result)
    {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++)
        {
            for (int part = 0; part < 2; part++)
            {
                for (int j = 0; j < half; j++)
                {
                    int from = (h * headDim) + (part * half) + j;
                    int to = (h * headDim) + (2 * j) + part;
                    weight.Slice(from * rowLength, rowLength).CopyTo(result.Slice(to * rowLength, rowLength));
                }
            }
        }
    }
}
