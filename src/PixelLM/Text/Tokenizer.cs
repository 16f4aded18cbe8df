using PixelLM.Gguf;

namespace PixelLM.Tokenization;

/// <summary>
/// LLaMA's tokenizer (SentencePiece BPE with byte fallback) over a vocabulary read from GGUF, with
/// the added tokens of PixelLM. Plain text never becomes control or added tokens (a typed "[SEG0]"
/// or "&lt;/s&gt;" stays characters); those are inserted by id through <see cref="EncodeSegments"/>.
/// Immutable; safe to share between threads.
/// </summary>
public sealed class Tokenizer
{
    private readonly BpeEncoder _encoder;

    /// <summary>Creates a tokenizer over <paramref name="vocabulary"/>.</summary>
    /// <param name="vocabulary">The vocabulary.</param>
    public Tokenizer(Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Vocabulary = vocabulary;
        _encoder = new BpeEncoder(vocabulary);
    }

    /// <summary>The vocabulary.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>Creates a tokenizer from the <c>tokenizer.ggml.*</c> metadata of a language-model GGUF file.</summary>
    /// <param name="metadata">The file's metadata.</param>
    /// <exception cref="TokenizerVocabularyException">The vocabulary is missing or inconsistent.</exception>
    public static Tokenizer FromMetadata(GgufMetadata metadata) => new(Vocabulary.FromMetadata(metadata));

    /// <summary>
    /// Encodes plain text as SentencePiece does (<c>sp.encode(text)</c>): with the dummy-prefix space,
    /// without BOS. Empty text gives no ids.
    /// </summary>
    /// <param name="text">The text; a lone surrogate counts as U+FFFD.</param>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 1);
        _encoder.Encode(text, ids);
        return [.. ids];
    }

    /// <summary>
    /// Encodes text and inserted tokens by the rules of the Hugging Face 4.31 slow tokenizer around
    /// added tokens: whitespace next to a token segment is stripped, each remaining text segment is
    /// encoded on its own (so each gets the dummy-prefix space), empty ones vanish. No BOS.
    /// </summary>
    /// <param name="segments">Text and token segments in order.</param>
    /// <exception cref="ArgumentOutOfRangeException">A token segment's id is outside the vocabulary.</exception>
    public int[] EncodeSegments(IEnumerable<PromptSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        PromptSegment[] parts = [.. segments];
        var ids = new List<int>();
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].IsToken)
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parts[i].TokenId, Vocabulary.Count, nameof(segments));
                ids.Add(parts[i].TokenId);
                continue;
            }

            ReadOnlySpan<char> text = parts[i].Text;
            if (i > 0 && parts[i - 1].IsToken)
                text = PythonWhitespace.TrimStart(text);
            if (i + 1 < parts.Length && parts[i + 1].IsToken)
                text = PythonWhitespace.TrimEnd(text);
            _encoder.Encode(text, ids);
        }

        return [.. ids];
    }

    /// <summary>
    /// Decodes ids as SentencePiece does (<c>sp.decode(ids)</c>); added tokens read as their text.
    /// </summary>
    /// <param name="ids">Token ids.</param>
    /// <param name="showControlTokens">Write control tokens (<c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>) as their pieces instead of nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(ReadOnlySpan<int> ids, bool showControlTokens = false)
    {
        // One code path for whole and streamed decoding, so the two cannot drift apart.
        Detokenizer detokenizer = CreateDetokenizer(showControlTokens);
        var text = new System.Text.StringBuilder();
        foreach (int id in ids)
            text.Append(detokenizer.Append(id));
        return text.Append(detokenizer.Flush()).ToString();
    }

    /// <summary>A detokenizer for streaming one sequence's ids as text.</summary>
    /// <param name="showControlTokens">Write control tokens as their pieces instead of nothing.</param>
    public Detokenizer CreateDetokenizer(bool showControlTokens = false) => new(Vocabulary, showControlTokens);
}
