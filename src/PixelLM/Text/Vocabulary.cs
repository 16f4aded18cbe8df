using PixelLM.Gguf;

namespace PixelLM.Tokenization;

/// <summary>
/// A SentencePiece vocabulary as llama.cpp stores it in GGUF metadata: pieces, scores and types by
/// id, the special ids, and the added tokens (<c>&lt;im_start&gt;</c>, <c>[SEG0]</c>, ...) that the
/// converter appends after the SentencePiece model's own pieces. Immutable; safe to share between threads.
/// </summary>
/// <remarks>
/// GGUF types added tokens <see cref="TokenType.UserDefined"/>, the same as user-defined pieces of
/// the SentencePiece model itself, but the two must behave differently: SentencePiece matches its own
/// user-defined pieces inside text, while added tokens are only ever inserted by id (user text never
/// becomes a codebook or image token). They are told apart by position: the added tokens are the run
/// of user-defined entries at the very end of the vocabulary, after the last entry of any other type.
/// </remarks>
public sealed class Vocabulary
{
    /// <summary>The metadata key naming the tokenizer model; must be <c>llama</c>.</summary>
    public const string ModelKey = "tokenizer.ggml.model";

    /// <summary>The metadata key of the pieces (array of strings).</summary>
    public const string TokensKey = "tokenizer.ggml.tokens";

    /// <summary>The metadata key of the scores (array of float32).</summary>
    public const string ScoresKey = "tokenizer.ggml.scores";

    /// <summary>The metadata key of the types (array of int32, <see cref="TokenType"/> numbering).</summary>
    public const string TokenTypesKey = "tokenizer.ggml.token_type";

    /// <summary>The metadata key of the beginning-of-sequence id (uint32; default 1).</summary>
    public const string BosIdKey = "tokenizer.ggml.bos_token_id";

    /// <summary>The metadata key of the end-of-sequence id (uint32; default 2).</summary>
    public const string EosIdKey = "tokenizer.ggml.eos_token_id";

    /// <summary>The metadata key of the unknown-token id (uint32; default 0).</summary>
    public const string UnknownIdKey = "tokenizer.ggml.unknown_token_id";

    /// <summary>The metadata key of the padding id (uint32; optional).</summary>
    public const string PaddingIdKey = "tokenizer.ggml.padding_token_id";

    /// <summary>The metadata key saying whether prompts start with BOS (bool; default true).</summary>
    public const string AddBosKey = "tokenizer.ggml.add_bos_token";

    /// <summary>The only supported value of <see cref="ModelKey"/>: SentencePiece BPE as LLaMA uses it.</summary>
    public const string LlamaModel = "llama";

    private readonly string[] _pieces;
    private readonly float[] _scores;
    private readonly TokenType[] _types;

    // Pieces that BPE may produce or match: normal, unused and the model's own user-defined pieces.
    // Control, unknown and byte pieces are absent, so typed text such as "</s>" or "<0x41>" stays text.
    private readonly Dictionary<string, int> _textPieces;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _textPieceLookup;
    private readonly Dictionary<string, int> _addedTokens;
    private readonly int[] _byteTokenIds;

    /// <summary>Creates a vocabulary from its parallel arrays.</summary>
    /// <param name="pieces">The piece of each id.</param>
    /// <param name="scores">The BPE merge score of each id (higher merges first).</param>
    /// <param name="types">The type of each id.</param>
    /// <param name="bosId">The beginning-of-sequence id.</param>
    /// <param name="eosId">The end-of-sequence id.</param>
    /// <param name="unknownId">The unknown-token id, used when a character has no piece and no byte token.</param>
    /// <param name="paddingId">The padding id, or null when the model has none.</param>
    /// <param name="addBos">Whether a prompt starts with <paramref name="bosId"/>.</param>
    /// <exception cref="TokenizerVocabularyException">The arrays disagree in length, or an id or byte piece is invalid.</exception>
    public Vocabulary(
        IReadOnlyList<string> pieces,
        IReadOnlyList<float> scores,
        IReadOnlyList<TokenType> types,
        int bosId = 1,
        int eosId = 2,
        int unknownId = 0,
        int? paddingId = null,
        bool addBos = true)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(types);
        if (pieces.Count == 0)
            throw new TokenizerVocabularyException(TokensKey, "the vocabulary is empty");
        if (scores.Count != pieces.Count)
            throw new TokenizerVocabularyException(ScoresKey, $"has {scores.Count} entries but {TokensKey} has {pieces.Count}");
        if (types.Count != pieces.Count)
            throw new TokenizerVocabularyException(TokenTypesKey, $"has {types.Count} entries but {TokensKey} has {pieces.Count}");

        _pieces = [.. pieces];
        _scores = [.. scores];
        _types = [.. types];
        BosId = CheckId(BosIdKey, bosId);
        EosId = CheckId(EosIdKey, eosId);
        UnknownId = CheckId(UnknownIdKey, unknownId);
        PaddingId = paddingId is int pad ? CheckId(PaddingIdKey, pad) : null;
        AddBos = addBos;

        FirstAddedTokenId = _types.Length;
        while (FirstAddedTokenId > 0 && _types[FirstAddedTokenId - 1] == TokenType.UserDefined)
            FirstAddedTokenId--;

        _textPieces = new Dictionary<string, int>(StringComparer.Ordinal);
        _addedTokens = new Dictionary<string, int>(StringComparer.Ordinal);
        _byteTokenIds = new int[256];
        Array.Fill(_byteTokenIds, -1);
        var userDefined = new List<string>();
        for (int id = 0; id < _pieces.Length; id++)
        {
            string piece = _pieces[id];
            switch (_types[id])
            {
                case TokenType.Normal or TokenType.Unused:
                    _textPieces.TryAdd(piece, id);
                    break;
                case TokenType.UserDefined when id >= FirstAddedTokenId:
                    _addedTokens.TryAdd(piece, id);
                    break;
                case TokenType.UserDefined:
                    if (piece.Length > 0 && _textPieces.TryAdd(piece, id))
                        userDefined.Add(piece);
                    break;
                case TokenType.Byte:
                    if (!ByteFallback.TryParsePiece(piece, out byte value))
                        throw new TokenizerVocabularyException(TokensKey, $"byte token {id} is '{piece}', not <0xXX>");
                    if (_byteTokenIds[value] < 0)
                        _byteTokenIds[value] = id;
                    break;
                case TokenType.Unknown or TokenType.Control:
                    break;
                default:
                    throw new TokenizerVocabularyException(TokenTypesKey, $"token {id} has type {(int)_types[id]}, not 1..6");
            }
        }

        _textPieceLookup = _textPieces.GetAlternateLookup<ReadOnlySpan<char>>();
        MaxTextPieceLength = _textPieces.Count == 0 ? 0 : _textPieces.Keys.Max(p => p.Length);
        MaxUserDefinedLength = userDefined.Count == 0 ? 0 : userDefined.Max(p => p.Length);
    }

    /// <summary>The number of ids (SentencePiece pieces plus added tokens).</summary>
    public int Count => _pieces.Length;

    /// <summary>The beginning-of-sequence id (<c>&lt;s&gt;</c>).</summary>
    public int BosId { get; }

    /// <summary>The end-of-sequence id (<c>&lt;/s&gt;</c>).</summary>
    public int EosId { get; }

    /// <summary>The unknown-token id (<c>&lt;unk&gt;</c>).</summary>
    public int UnknownId { get; }

    /// <summary>The padding id, or null when the model has none.</summary>
    public int? PaddingId { get; }

    /// <summary>Whether a prompt starts with <see cref="BosId"/>.</summary>
    public bool AddBos { get; }

    /// <summary>
    /// The first added-token id; ids from here to <see cref="Count"/> are added tokens. Equals
    /// <see cref="Count"/> when there are none.
    /// </summary>
    public int FirstAddedTokenId { get; }

    /// <summary>The added tokens by their text (for example <c>[SEG0]</c> → 32003).</summary>
    public IReadOnlyDictionary<string, int> AddedTokens => _addedTokens;

    /// <summary>The length in UTF-16 units of the longest of the model's own user-defined pieces (matched whole inside text).</summary>
    internal int MaxUserDefinedLength { get; }

    /// <summary>The length in UTF-16 units of the longest piece BPE can produce; longer pairs need no lookup.</summary>
    internal int MaxTextPieceLength { get; }

    /// <summary>Reads the vocabulary from GGUF metadata (llama.cpp's <c>tokenizer.ggml.*</c> keys).</summary>
    /// <param name="metadata">The metadata of a language-model GGUF file.</param>
    /// <exception cref="TokenizerVocabularyException">A key is missing, of the wrong type, or inconsistent; <see cref="TokenizerVocabularyException.Key"/> names it.</exception>
    public static Vocabulary FromMetadata(GgufMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string model = Read(metadata, ModelKey, v => v.AsString());
        if (model != LlamaModel)
            throw new TokenizerVocabularyException(ModelKey, $"is '{model}'; only '{LlamaModel}' (SentencePiece BPE) is supported");

        string[] pieces = Read(metadata, TokensKey, v => v.ToStringArray());
        float[] scores = Read(metadata, ScoresKey, v => v.ToArray<float>());
        int[] types = Read(metadata, TokenTypesKey, v => v.ToArray<int>());
        return new Vocabulary(
            pieces,
            scores,
            Array.ConvertAll(types, t => (TokenType)t),
            ReadId(metadata, BosIdKey) ?? 1,
            ReadId(metadata, EosIdKey) ?? 2,
            ReadId(metadata, UnknownIdKey) ?? 0,
            ReadId(metadata, PaddingIdKey),
            metadata.ContainsKey(AddBosKey) ? Read(metadata, AddBosKey, v => v.AsBoolean()) : true);
    }

    /// <summary>The piece of <paramref name="id"/>, as stored (spaces appear as U+2581 "▁").</summary>
    /// <param name="id">A token id in <c>[0, Count)</c>.</param>
    public string GetPiece(int id) => _pieces[CheckIndex(id)];

    /// <summary>The BPE score of <paramref name="id"/>.</summary>
    /// <param name="id">A token id in <c>[0, Count)</c>.</param>
    public float GetScore(int id) => _scores[CheckIndex(id)];

    /// <summary>The type of <paramref name="id"/>.</summary>
    /// <param name="id">A token id in <c>[0, Count)</c>.</param>
    public TokenType GetTokenType(int id) => _types[CheckIndex(id)];

    /// <summary>Whether <paramref name="id"/> is an added token (inserted by id, never produced from text).</summary>
    /// <param name="id">A token id.</param>
    public bool IsAddedToken(int id) => id >= FirstAddedTokenId && id < Count;

    /// <summary>Looks up a piece that BPE may produce (not control, unknown, byte or added).</summary>
    internal bool TryGetTextPiece(ReadOnlySpan<char> piece, out int id) => _textPieceLookup.TryGetValue(piece, out id);

    /// <summary>The id of the byte-fallback token for <paramref name="value"/>, or -1 when the vocabulary lacks it.</summary>
    internal int GetByteTokenId(byte value) => _byteTokenIds[value];

    private int CheckIndex(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _pieces.Length);
        return id;
    }

    private int CheckId(string key, int id)
    {
        if (id < 0 || id >= _pieces.Length)
            throw new TokenizerVocabularyException(key, $"id {id} is outside the vocabulary of {_pieces.Length}");
        return id;
    }

    private static T Read<T>(GgufMetadata metadata, string key, Func<GgufValue, T> convert)
    {
        if (!metadata.TryGetValue(key, out GgufValue? value))
            throw new TokenizerVocabularyException(key, "the key is missing");
        try
        {
            return convert(value);
        }
        catch (PixelLmTypeMismatchException)
        {
            throw new TokenizerVocabularyException(key, $"has type {value.TypeName}, which is not the expected one");
        }
    }

    private static int? ReadId(GgufMetadata metadata, string key)
    {
        if (!metadata.ContainsKey(key))
            return null;
        uint id = Read(metadata, key, v => v.AsUInt32());
        if (id > int.MaxValue)
            throw new TokenizerVocabularyException(key, $"id {id} is outside the vocabulary");
        return (int)id;
    }
}
