namespace PixelLM.Tokenization;

/// <summary>
/// One part of a prompt for <see cref="Tokenizer.EncodeSegments"/>: plain text, which is encoded and
/// never becomes special ids, or one token inserted by id (an added token such as <c>&lt;im_start&gt;</c>).
/// The default value is an empty text segment.
/// </summary>
public readonly record struct PromptSegment
{
    private readonly string? _text;

    // Stored plus one so that the default value is a text segment, not a token segment of id 0.
    private readonly int _tokenIdPlusOne;

    private PromptSegment(string? text, int tokenIdPlusOne)
    {
        _text = text;
        _tokenIdPlusOne = tokenIdPlusOne;
    }

    /// <summary>The text of a text segment; empty for a token segment.</summary>
    public string Text => _text ?? string.Empty;

    /// <summary>The id of a token segment; -1 for a text segment.</summary>
    public int TokenId => _tokenIdPlusOne - 1;

    /// <summary>Whether this is a token segment.</summary>
    public bool IsToken => _tokenIdPlusOne > 0;

    /// <summary>A text segment.</summary>
    /// <param name="text">Plain text; typed special-token strings stay characters.</param>
    public static PromptSegment FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new PromptSegment(text, 0);
    }

    /// <summary>A token segment.</summary>
    /// <param name="id">The token id to insert.</param>
    public static PromptSegment FromToken(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfEqual(id, int.MaxValue);
        return new PromptSegment(null, id + 1);
    }
}
