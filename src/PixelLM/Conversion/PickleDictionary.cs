namespace PixelLM.Conversion;

/// <summary>A pickled dict or OrderedDict: its entries in insertion order (keys may repeat; the last wins on lookup).</summary>
internal sealed class PickleDictionary
{
    /// <summary>The entries in the order the pickle set them.</summary>
    internal List<KeyValuePair<object?, object?>> Entries { get; } = [];
}
