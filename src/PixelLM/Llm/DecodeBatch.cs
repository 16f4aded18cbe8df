namespace PixelLM.Llm;

/// <summary>
/// Positions to run through a <see cref="LanguageModelContext"/> in one call, for one or many sequences.
/// Each entry is a token or an embedding row (PixelLM's image tokens), at the next position of its
/// sequence. Reusable: <see cref="Clear"/> keeps the buffers.
/// </summary>
public sealed class DecodeBatch
{
    /// <summary>The token id of an entry whose input is an embedding row.</summary>
    public const int EmbeddingToken = -1;

    private readonly List<int> _tokens = [];
    private readonly List<int> _sequences = [];
    private readonly List<int> _positions = [];
    private readonly List<sbyte> _hiddenKeys = [];
    private readonly List<sbyte> _outputs = [];
    private readonly List<float> _embeddings = [];

    /// <summary>Creates an empty batch whose embedding rows (if any) are <paramref name="embeddingWidth"/> wide.</summary>
    /// <param name="embeddingWidth">The model's <see cref="LanguageModelInfo.EmbeddingWidth"/>; 0 for a batch of tokens only.</param>
    public DecodeBatch(int embeddingWidth = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(embeddingWidth);
        EmbeddingWidth = embeddingWidth;
    }

    /// <summary>The width of every embedding row.</summary>
    public int EmbeddingWidth { get; }

    /// <summary>Number of entries.</summary>
    public int Count => _tokens.Count;

    /// <summary>Number of entries whose output (logits and hidden state) is kept.</summary>
    public int OutputCount { get; private set; }

    /// <summary>Adds a token at <paramref name="position"/> of <paramref name="sequence"/>.</summary>
    /// <param name="token">The token id.</param>
    /// <param name="sequence">The sequence slot.</param>
    /// <param name="position">The next position of that sequence.</param>
    /// <param name="output">Keep this entry's logits and hidden state.</param>
    /// <param name="hiddenKey">Hide this entry from every query of its sequence, now and later (padded image tokens).</param>
    public DecodeBatch AddToken(int token, int sequence, int position, bool output = false, bool hiddenKey = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(token);
        Add(token, sequence, position, output, hiddenKey);
        return this;
    }

    /// <summary>Adds an embedding row as the input at <paramref name="position"/> of <paramref name="sequence"/>.</summary>
    /// <param name="embedding"><see cref="EmbeddingWidth"/> values.</param>
    /// <param name="sequence">The sequence slot.</param>
    /// <param name="position">The next position of that sequence.</param>
    /// <param name="output">Keep this entry's logits and hidden state.</param>
    /// <param name="hiddenKey">Hide this entry from every query of its sequence, now and later (padded image tokens).</param>
    public DecodeBatch AddEmbedding(ReadOnlySpan<float> embedding, int sequence, int position, bool output = false,
        bool hiddenKey = false)
    {
        if (embedding.Length != EmbeddingWidth)
            throw new ArgumentException(
                $"The embedding has {embedding.Length} values; this batch's rows are {EmbeddingWidth} wide.", nameof(embedding));
        foreach (float value in embedding)
            _embeddings.Add(value);
        Add(EmbeddingToken, sequence, position, output, hiddenKey);
        return this;
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        _tokens.Clear();
        _sequences.Clear();
        _positions.Clear();
        _hiddenKeys.Clear();
        _outputs.Clear();
        _embeddings.Clear();
        OutputCount = 0;
    }

    internal ReadOnlySpan<int> Tokens => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tokens);
    internal ReadOnlySpan<int> Sequences => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_sequences);
    internal ReadOnlySpan<int> Positions => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_positions);
    internal ReadOnlySpan<sbyte> HiddenKeys => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_hiddenKeys);
    internal ReadOnlySpan<sbyte> Outputs => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_outputs);
    internal ReadOnlySpan<float> Embeddings => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_embeddings);

    private void Add(int token, int sequence, int position, bool output, bool hiddenKey)
    {
        _tokens.Add(token);
        _sequences.Add(sequence);
        _positions.Add(position);
        _hiddenKeys.Add(hiddenKey ? (sbyte)1 : (sbyte)0);
        _outputs.Add(output ? (sbyte)1 : (sbyte)0);
        if (output)
            OutputCount++;
    }
}
