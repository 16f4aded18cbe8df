namespace PixelLM.Pixel;

/// <summary>
/// The vision tower's intermediate results, for comparing the engine with the reference stage by stage
/// (hidden states include the class token as row 0).
/// </summary>
/// <param name="Embeddings">[positions][vision width]: hs[0], the embeddings after the pre-LayerNorm.</param>
/// <param name="DeepHiddenStates">[positions][vision width]: the hidden states of the deep selected layer (hs[-2]).</param>
/// <param name="MidHiddenStates">[positions][vision width]: the hidden states of the mid selected layer (hs[-11]).</param>
/// <param name="Pooled">[image tokens][vision width]: the deep patch features pooled 2x2, before mm_projector.</param>
public sealed record VisionIntermediates(float[] Embeddings, float[] DeepHiddenStates, float[] MidHiddenStates, float[] Pooled);
