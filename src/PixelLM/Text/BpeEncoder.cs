using System.Text;

namespace PixelLM.Tokenization;

/// <summary>
/// SentencePiece BPE over one piece of plain text: the text is normalized (a dummy-prefix space,
/// spaces written as U+2581 "▁"), split into characters (the model's user-defined pieces kept whole),
/// and the adjacent pair whose concatenation is the highest-scoring piece is merged, leftmost first on
/// ties, until no pair forms a piece. Characters left without a piece become byte tokens.
/// </summary>
/// <remarks>
/// Symbols live in arrays as a doubly linked list over the normalized text, and candidate pairs in a
/// priority queue; a queued pair is stale once either side has grown or been absorbed, which is
/// checked when it comes out. That keeps a long input at O(n log n) rather than rescanning all pairs
/// after every merge.
/// </remarks>
internal sealed class BpeEncoder
{
    /// <summary>What a space becomes before encoding (SentencePiece's "escaped whitespace").</summary>
    internal const char SpaceSymbol = '\u2581';

    private readonly Vocabulary _vocabulary;

    internal BpeEncoder(Vocabulary vocabulary) => _vocabulary = vocabulary;

    /// <summary>Appends the ids of <paramref name="text"/> to <paramref name="output"/>; nothing for empty text.</summary>
    internal void Encode(ReadOnlySpan<char> text, List<int> output)
    {
        if (text.IsEmpty)
            return;
        string normalized = Normalize(text);
        var symbols = new Symbols(normalized.Length);
        Split(normalized, symbols);

        var queue = new PriorityQueue<Pair, Pair>(normalized.Length, PairOrder.Instance);
        for (int i = 0; i + 1 < symbols.Count; i++)
            Enqueue(normalized, symbols, queue, i, i + 1);

        // Only filled when a merge produces an unused piece, which must be split back afterwards.
        Dictionary<string, (string Left, string Right)>? unusedMerges = null;
        while (queue.TryDequeue(out Pair pair, out _))
        {
            int left = pair.Left;
            int right = pair.Right;
            if (symbols.Length[left] != pair.LeftLength || symbols.Length[right] != pair.RightLength || symbols.Next[left] != right)
                continue;

            if (_vocabulary.GetTokenType(pair.Id) == TokenType.Unused)
            {
                unusedMerges ??= new Dictionary<string, (string, string)>(StringComparer.Ordinal);
                unusedMerges[normalized.Substring(symbols.Start[left], pair.LeftLength + pair.RightLength)] =
                    (normalized.Substring(symbols.Start[left], pair.LeftLength), normalized.Substring(symbols.Start[right], pair.RightLength));
            }

            symbols.Length[left] += symbols.Length[right];
            symbols.Length[right] = 0;
            int next = symbols.Next[right];
            symbols.Next[left] = next;
            if (next >= 0)
                symbols.Previous[next] = left;

            if (symbols.Previous[left] >= 0)
                Enqueue(normalized, symbols, queue, symbols.Previous[left], left);
            if (next >= 0)
                Enqueue(normalized, symbols, queue, left, next);
        }

        for (int i = 0; i >= 0; i = symbols.Next[i])
            Emit(normalized.AsSpan(symbols.Start[i], symbols.Length[i]), unusedMerges, output);
    }

    /// <summary>SentencePiece's normalization for LLaMA: identity, plus the dummy prefix and escaped spaces.</summary>
    private static string Normalize(ReadOnlySpan<char> text)
    {
        var normalized = new StringBuilder(text.Length + 1);
        normalized.Append(SpaceSymbol);
        Span<char> chars = stackalloc char[2];
        foreach (Rune rune in text.EnumerateRunes())
        {
            // A lone surrogate cannot be encoded as UTF-8; EnumerateRunes already made it U+FFFD.
            if (rune.Value == ' ')
                normalized.Append(SpaceSymbol);
            else
                normalized.Append(chars[..rune.EncodeToUtf16(chars)]);
        }

        return normalized.ToString();
    }

    /// <summary>Makes one symbol per character, or per user-defined piece (longest match first), which stays frozen.</summary>
    private void Split(string normalized, Symbols symbols)
    {
        int position = 0;
        while (position < normalized.Length)
        {
            int length = MatchUserDefined(normalized.AsSpan(position));
            bool frozen = length > 0;
            if (!frozen)
                length = char.IsHighSurrogate(normalized[position]) && position + 1 < normalized.Length ? 2 : 1;
            symbols.Add(position, length, frozen);
            position += length;
        }
    }

    private int MatchUserDefined(ReadOnlySpan<char> text)
    {
        for (int length = Math.Min(_vocabulary.MaxUserDefinedLength, text.Length); length > 0; length--)
        {
            if (_vocabulary.TryGetTextPiece(text[..length], out int id) && _vocabulary.GetTokenType(id) == TokenType.UserDefined)
                return length;
        }

        return 0;
    }

    private void Enqueue(string normalized, Symbols symbols, PriorityQueue<Pair, Pair> queue, int left, int right)
    {
        if (symbols.Frozen[left] || symbols.Frozen[right])
            return;
        int length = symbols.Length[left] + symbols.Length[right];
        if (length > _vocabulary.MaxTextPieceLength)
            return;
        if (!_vocabulary.TryGetTextPiece(normalized.AsSpan(symbols.Start[left], length), out int id))
            return;
        var pair = new Pair(left, right, symbols.Length[left], symbols.Length[right], id, symbols.Start[left], _vocabulary.GetScore(id));
        queue.Enqueue(pair, pair);
    }

    /// <summary>Appends the id of a final symbol: its piece, its unused piece split back, or its bytes.</summary>
    private void Emit(ReadOnlySpan<char> piece, Dictionary<string, (string Left, string Right)>? unusedMerges, List<int> output)
    {
        if (_vocabulary.TryGetTextPiece(piece, out int id))
        {
            if (_vocabulary.GetTokenType(id) == TokenType.Unused && unusedMerges is not null
                && unusedMerges.TryGetValue(piece.ToString(), out (string Left, string Right) parts))
            {
                Emit(parts.Left, unusedMerges, output);
                Emit(parts.Right, unusedMerges, output);
            }
            else
            {
                output.Add(id);
            }

            return;
        }

        // Only single characters can lack a piece: every merge made a piece.
        Span<byte> bytes = stackalloc byte[4];
        int count = Encoding.UTF8.GetBytes(piece, bytes);
        foreach (byte value in bytes[..count])
        {
            int byteId = _vocabulary.GetByteTokenId(value);
            output.Add(byteId >= 0 ? byteId : _vocabulary.UnknownId);
        }
    }

    /// <summary>A candidate merge of two adjacent symbols, as they were when it was queued.</summary>
    private readonly record struct Pair(int Left, int Right, int LeftLength, int RightLength, int Id, int Position, float Score);

    /// <summary>Highest score first; on equal scores the leftmost pair.</summary>
    private sealed class PairOrder : IComparer<Pair>
    {
        internal static readonly PairOrder Instance = new();

        public int Compare(Pair x, Pair y)
        {
            int byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : x.Position.CompareTo(y.Position);
        }
    }

    /// <summary>The symbols of one text: spans of the normalized text, linked in order.</summary>
    private sealed class Symbols
    {
        internal Symbols(int capacity)
        {
            Start = new int[capacity];
            Length = new int[capacity];
            Previous = new int[capacity];
            Next = new int[capacity];
            Frozen = new bool[capacity];
        }

        internal int Count { get; private set; }

        internal int[] Start { get; }

        /// <summary>Length in UTF-16 units; 0 once merged into the symbol on its left.</summary>
        internal int[] Length { get; }

        internal int[] Previous { get; }

        internal int[] Next { get; }

        internal bool[] Frozen { get; }

        internal void Add(int start, int length, bool frozen)
        {
            int index = Count++;
            Start[index] = start;
            Length[index] = length;
            Frozen[index] = frozen;
            Previous[index] = index - 1;
            Next[index] = -1;
            if (index > 0)
                Next[index - 1] = index;
        }
    }
}
