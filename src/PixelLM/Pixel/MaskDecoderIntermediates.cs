namespace PixelLM.Pixel;

/// <summary>
/// The pixel decoder's intermediate tensors for parity tests against the reference (channels-last, f32):
/// pass one to <see cref="PixelContext.DecodeMasks(ReadOnlySpan{float}, ReadOnlySpan{float}, int, MaskDecoderIntermediates?)"/>.
/// Sizes: g = patch grid, C = decoder width, S = codebook tokens per target, T = 6 decoder tokens.
/// </summary>
internal sealed class MaskDecoderIntermediates
{
    internal MaskDecoderIntermediates(PixelModelInfo info, int targets)
    {
        int c = info.DecoderWidth, g = info.PatchGrid, tokens = info.MaskTokenCount + 2;
        int s = info.SegTokensPerScale * info.ScaleCount;
        TextFcs = new float[targets * s * c];
        Queries = new float[targets * info.ScaleCount * c];
        Pe = [new float[g * g * c], new float[4 * g * g * c]];
        Src = [new float[targets * g * g * c], new float[targets * 4 * g * g * c]];
        Tokens = [new float[targets * tokens * c], new float[targets * tokens * c]];
        OutQueries = [new float[targets * tokens * c], new float[targets * tokens * c]];
        Keys = [new float[targets * g * g * c], new float[targets * 4 * g * g * c]];
    }

    /// <summary>[targets * S][C] text_hidden_fcs of the codebook states.</summary>
    internal float[] TextFcs { get; }

    /// <summary>[targets][2][C] the fused queries.</summary>
    internal float[] Queries { get; }

    /// <summary>Per level: [hw][C] the image PE.</summary>
    internal float[][] Pe { get; }

    /// <summary>Per level: [targets][hw][C] the decoder input.</summary>
    internal float[][] Src { get; }

    /// <summary>Per level: [targets][T][C] the tokens T0.</summary>
    internal float[][] Tokens { get; }

    /// <summary>Per level: [targets][T][C] the transformer's token outputs.</summary>
    internal float[][] OutQueries { get; }

    /// <summary>Per level: [targets][hw][C] the transformer's image outputs.</summary>
    internal float[][] Keys { get; }
}
