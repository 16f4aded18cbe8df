namespace PixelLM.Gguf;

/// <summary>One key-value pair of a GGUF file's metadata.</summary>
public readonly struct GgufMetadataEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public GgufMetadataEntry(string key, GgufValue value)
    {
        Key = key;
        Value = value;
    }

    /// <summary>The key, e.g. <c>general.architecture</c>.</summary>
    public string Key { get; }

    /// <summary>The value.</summary>
    public GgufValue Value { get; }

    /// <summary>Deconstructs into key and value, for <c>foreach (var (key, value) in file.Metadata)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void Deconstruct(out string key, out GgufValue value)
    {
        key = Key;
        value = Value;
    }

    /// <summary>"key = value" for display.</summary>
    public override string ToString() => $"{Key} = {Value}";
}
