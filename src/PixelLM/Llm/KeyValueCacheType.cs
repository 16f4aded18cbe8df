namespace PixelLM.Llm;

/// <summary>Element type of a context's KV cache.</summary>
public enum KeyValueCacheType
{
    /// <summary>Half precision: half the memory, the default.</summary>
    Float16 = 0,

    /// <summary>Single precision.</summary>
    Float32 = 1,
}
