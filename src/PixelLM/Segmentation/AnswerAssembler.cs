using PixelLM.Tokenization;

namespace PixelLM.Segmentation;

/// <summary>
/// Follows an answer while it is generated: the text without codebook tokens (streamed as deltas), and
/// the hidden states that predicted codebook tokens, grouped by position into targets (spec §6.4: group
/// n takes the states 6n..6n+5 in generation order, whatever the codebook ids; §15.4 for the trailing
/// rest). A group is reported the moment its last state arrives, so its mask can be decoded while
/// generation goes on. One per answer; not thread-safe.
/// </summary>
internal sealed class AnswerAssembler
{
    private readonly Detokenizer _detokenizer;
    private readonly HashSet<int> _codebookIds;
    private readonly int _groupSize;
    private readonly int _hiddenWidth;
    private readonly System.Text.StringBuilder _text = new();
    private readonly List<CodebookGroup> _groups = [];
    private float[]? _pending;
    private int _pendingCount;
    private int _pendingAnchor;
    private bool _afterCodebook;

    /// <param name="vocabulary">The model's vocabulary.</param>
    /// <param name="codebookIds">The codebook token ids (seg_token_num x scale_num of them).</param>
    /// <param name="hiddenWidth">Width of the hidden states.</param>
    public AnswerAssembler(Vocabulary vocabulary, IReadOnlyCollection<int> codebookIds, int hiddenWidth)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(codebookIds);
        if (codebookIds.Count == 0)
            throw new ArgumentException("There are no codebook tokens.", nameof(codebookIds));
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenWidth, 1);
        _detokenizer = new Detokenizer(vocabulary);
        _codebookIds = [.. codebookIds];
        _groupSize = codebookIds.Count;
        _hiddenWidth = hiddenWidth;
    }

    /// <summary>The answer so far, codebook tokens removed.</summary>
    public string Text => _text.ToString();

    /// <summary>The complete groups so far, in order.</summary>
    public IReadOnlyList<CodebookGroup> Groups => _groups;

    /// <summary>Codebook tokens of a group not (yet) complete.</summary>
    public int PendingCodebookTokens => _pendingCount;

    /// <summary>Every token of the answer so far, codebook tokens included.</summary>
    public List<int> TokenIds { get; } = [];

    /// <summary>True when <paramref name="tokenId"/> is a codebook token.</summary>
    public bool IsCodebookToken(int tokenId) => _codebookIds.Contains(tokenId);

    /// <summary>
    /// Adds the next generated token. <paramref name="predictorState"/> is the hidden state whose logits
    /// chose it; it is kept only for codebook tokens.
    /// </summary>
    /// <returns>The text this token completes (often empty), and the group it completes, if any.</returns>
    public (string TextDelta, CodebookGroup? Completed) Add(int tokenId, ReadOnlySpan<float> predictorState)
    {
        TokenIds.Add(tokenId);
        if (!_codebookIds.Contains(tokenId))
        {
            string delta = _detokenizer.Append(tokenId);
            // The original tokenizer encodes the text after added tokens with its own dummy-prefix
            // space (spec §5.3), so models write "box [SEG…] ." as "box", codebook, "▁.": with the
            // codebook tokens gone, that space would stand before the punctuation.
            if (_afterCodebook && delta.Length > 1 && delta[0] == ' ' && char.IsPunctuation(delta[1]))
                delta = delta[1..];
            if (delta.Length > 0)
                _afterCodebook = false;
            _text.Append(delta);
            return (delta, null);
        }

        _afterCodebook = true;
        if (predictorState.Length != _hiddenWidth)
            throw new ArgumentException($"The hidden state has {predictorState.Length} values; expected {_hiddenWidth}.", nameof(predictorState));
        if (_pendingCount == 0)
        {
            _pending = new float[_groupSize * _hiddenWidth];
            _pendingAnchor = _text.Length;
        }
        predictorState.CopyTo(_pending.AsSpan(_pendingCount * _hiddenWidth, _hiddenWidth));
        if (++_pendingCount < _groupSize)
            return (string.Empty, null);

        int floor = _groups.Count > 0 ? _groups[^1].Anchor : 0;
        var group = new CodebookGroup(_groups.Count, _pending!, _pendingAnchor, PhraseLabel.Find(Text, _pendingAnchor, floor));
        _groups.Add(group);
        _pending = null;
        _pendingCount = 0;
        return (string.Empty, group);
    }

    /// <summary>Ends the answer: returns the text still held back (an incomplete UTF-8 sequence becomes U+FFFD).</summary>
    public string Finish()
    {
        string rest = _detokenizer.Flush();
        _text.Append(rest);
        return rest;
    }

    /// <summary>The groups that become masks under <paramref name="rule"/>.</summary>
    public IReadOnlyList<CodebookGroup> GroupsUnder(CodebookGroupRule rule) =>
        rule == CodebookGroupRule.Original && _pendingCount != 0 ? [] : _groups;
}
