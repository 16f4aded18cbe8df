namespace PixelLM.Llm;

/// <summary>Options for <see cref="LanguageModel.CreateContext"/>.</summary>
public sealed record LanguageModelContextOptions
{
    /// <summary>Threads of the context's own pool, the calling thread included; 0: the physical cores this process may use.</summary>
    public int Threads { get; init; }

    /// <summary>Positions each sequence can hold; 0: the model's trained context length.</summary>
    public int ContextLength { get; init; }

    /// <summary>Sequence slots, each with its own KV cache.</summary>
    public int Sequences { get; init; } = 1;

    /// <summary>The most batch entries computed together (larger batches are split); also the most outputs one decode keeps.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Element type of the KV cache.</summary>
    public KeyValueCacheType CacheType { get; init; } = KeyValueCacheType.Float16;
}
