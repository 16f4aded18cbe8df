using PixelLM.Interop;

namespace PixelLM.Llm;

/// <summary>
/// One caller's inference state for a <see cref="LanguageModel"/>: the KV cache of its sequences, scratch
/// memory and its own thread pool.
/// </summary>
/// <remarks>
/// A context is used by one caller at a time: a call that starts while another is running on the same
/// context throws <see cref="InvalidOperationException"/> instead of corrupting the cache. A refused batch
/// (<see cref="PixelLmInvalidArgumentException"/>, <see cref="PixelLmContextFullException"/>) leaves every
/// sequence as it was, so the context stays usable.
/// </remarks>
public sealed unsafe class LanguageModelContext : IDisposable
{
    private readonly SafeContextHandle _handle;
    private readonly LanguageModelInfo _info;
    private readonly CallGate _gate;

    internal LanguageModelContext(SafeContextHandle handle, LanguageModelInfo info, int contextLength, int sequences,
        int batchSize)
    {
        _handle = handle;
        _gate = new CallGate(handle, "This context is already in use by another call; a context serves one caller at a time.");
        _info = info;
        ContextLength = contextLength;
        Sequences = sequences;
        BatchSize = batchSize;
    }

    /// <summary>Positions each sequence can hold.</summary>
    public int ContextLength { get; }

    /// <summary>Number of sequence slots.</summary>
    public int Sequences { get; }

    /// <summary>The most entries computed together, and the most outputs one decode keeps.</summary>
    public int BatchSize { get; }

    /// <summary>Number of outputs the last successful <see cref="Decode"/> kept.</summary>
    public int OutputCount { get; private set; }

    /// <summary>
    /// Runs the batch: appends every entry to its sequence's KV cache and computes the outputs asked for
    /// (only the last entry's when the batch marks none).
    /// </summary>
    /// <exception cref="PixelLmInvalidArgumentException">A token, sequence, position or embedding width is wrong; nothing changed.</exception>
    /// <exception cref="PixelLmContextFullException">A sequence has no room left; nothing changed.</exception>
    /// <exception cref="InvalidOperationException">Another call is running on this context.</exception>
    /// <exception cref="ObjectDisposedException">The context was disposed.</exception>
    public void Decode(DecodeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
            throw new ArgumentException("The batch is empty.", nameof(batch));
        using CallGate.Pass use = _gate.Enter();
        fixed (int* tokens = batch.Tokens)
        fixed (int* sequences = batch.Sequences)
        fixed (int* positions = batch.Positions)
        fixed (sbyte* hidden = batch.HiddenKeys)
        fixed (sbyte* outputs = batch.Outputs)
        fixed (float* embeddings = batch.Embeddings)
        {
            pxl_batch native = default;
            native.struct_size = (ulong)sizeof(pxl_batch);
            native.n_entries = batch.Count;
            native.embedding_width = batch.EmbeddingWidth;
            native.tokens = tokens;
            native.embeddings = embeddings;
            native.seq_ids = sequences;
            native.positions = positions;
            native.hidden_keys = hidden;
            native.outputs = batch.OutputCount > 0 ? outputs : null;
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_context_decode((pxl_context*)use.Pointer, &native));
        }
        OutputCount = NativeMethods.pxl_context_output_count((pxl_context*)use.Pointer);
    }

    /// <summary>
    /// The logits (<see cref="LanguageModelInfo.VocabularySize"/> values) of output <paramref name="output"/>,
    /// in the order of the batch's entries. The span reads the context's memory: it is valid until the next
    /// <see cref="Decode"/> or <see cref="Dispose"/>; copy it (<c>ToArray()</c>) to keep it.
    /// </summary>
    /// <exception cref="PixelLmInvalidArgumentException">There is no such output.</exception>
    public ReadOnlySpan<float> GetLogits(int output)
    {
        using CallGate.Pass use = _gate.Enter();
        float* logits = null;
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_context_get_logits((pxl_context*)use.Pointer, output, &logits));
        return new ReadOnlySpan<float>(logits, _info.VocabularySize);
    }

    /// <summary>
    /// The final hidden state (after the last RMSNorm; <see cref="LanguageModelInfo.EmbeddingWidth"/> values) of
    /// output <paramref name="output"/>. Valid like <see cref="GetLogits"/>.
    /// </summary>
    /// <exception cref="PixelLmInvalidArgumentException">There is no such output.</exception>
    public ReadOnlySpan<float> GetHiddenState(int output)
    {
        using CallGate.Pass use = _gate.Enter();
        float* hidden = null;
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_context_get_hidden((pxl_context*)use.Pointer, output, &hidden));
        return new ReadOnlySpan<float>(hidden, _info.EmbeddingWidth);
    }

    /// <summary>Number of positions <paramref name="sequence"/> holds.</summary>
    public int GetSequenceLength(int sequence)
    {
        using CallGate.Pass use = _gate.Enter();
        int length = 0;
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_context_seq_length((pxl_context*)use.Pointer, sequence, &length));
        return length;
    }

    /// <summary>Keeps the first <paramref name="keep"/> positions of a sequence (0 clears it).</summary>
    public void TruncateSequence(int sequence, int keep)
    {
        using CallGate.Pass use = _gate.Enter();
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_context_seq_truncate((pxl_context*)use.Pointer, sequence, keep));
    }

    /// <summary>Makes <paramref name="destination"/> a copy of <paramref name="source"/> (prefix reuse).</summary>
    public void CopySequence(int source, int destination)
    {
        using CallGate.Pass use = _gate.Enter();
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_context_seq_copy((pxl_context*)use.Pointer, source, destination));
    }

    /// <summary>Frees the KV cache and joins the context's threads.</summary>
    public void Dispose() => _handle.Dispose();
}
