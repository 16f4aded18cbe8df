namespace PixelLM.Conversion;

/// <summary>The [hard] numbers of the spec the converter writes into the pixel file (spec §0, §2.2, §3, §6.4, §8).</summary>
internal static class PixelLmConstants
{
    /// <summary>Padded CLIP input side (§2.2).</summary>
    internal const int ImageSize = 448;

    /// <summary>The mid CLIP feature, <c>hs[-11]</c> (§3.3).</summary>
    internal const int MidSelectLayer = -11;

    /// <summary>Side of the pooled grid the LLM sees: 16×16 = 256 image tokens (§4.2).</summary>
    internal const int LlmImageGrid = 16;

    /// <summary>TwoWayTransformer heads (§8.1).</summary>
    internal const int DecoderHeads = 8;

    /// <summary>TwoWayTransformer depth (§8.1).</summary>
    internal const int DecoderDepth = 2;

    /// <summary>Cross-attention downsample rate (§8.2).</summary>
    internal const int AttentionDownsample = 2;

    /// <summary>Multimask outputs; the decoder has one more mask token (§8.1).</summary>
    internal const int MultimaskOutputs = 3;

    /// <summary>LayerNorm eps inside the decoder (§8.1).</summary>
    internal const float DecoderLayerNormEps = 1e-5f;

    /// <summary>LayerNorm2d eps of the neck and the upscaling (§7.3, §8.1).</summary>
    internal const float LayerNorm2dEps = 1e-6f;

    /// <summary>The mask-branch normalization on the 0..255 scale (§2.2 step 3).</summary>
    internal static readonly float[] ImageMean = [123.675f, 116.28f, 103.53f];

    /// <summary>See <see cref="ImageMean"/>.</summary>
    internal static readonly float[] ImageStd = [58.395f, 57.12f, 57.375f];

    /// <summary>LLaMA's special token ids (§5.1).</summary>
    internal const uint BosId = 1, EosId = 2, UnknownId = 0, PaddingId = 0;

    /// <summary>RoPE base; built into HF 4.31 (§0).</summary>
    internal const float RopeFreqBase = 10000f;
}
