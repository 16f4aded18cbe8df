namespace PixelLM.Llm;

/// <summary>The hyper-parameters of a loaded language model.</summary>
/// <param name="VocabularySize">Number of tokens.</param>
/// <param name="EmbeddingWidth">Width of the residual stream, of hidden states and of input embeddings.</param>
/// <param name="LayerCount">Decoder blocks.</param>
/// <param name="HeadCount">Attention heads.</param>
/// <param name="KeyValueHeadCount">Key/value heads (fewer than <paramref name="HeadCount"/> with grouped-query attention).</param>
/// <param name="FeedForwardWidth">Width of the SwiGLU MLP.</param>
/// <param name="TrainedContextLength">Positions the model was trained for.</param>
public sealed record LanguageModelInfo(
    int VocabularySize,
    int EmbeddingWidth,
    int LayerCount,
    int HeadCount,
    int KeyValueHeadCount,
    int FeedForwardWidth,
    int TrainedContextLength);
