using System.Text;

namespace PixelLM.Tokenization;

/// <summary>
/// Turns ids into text one at a time while a model generates, the way SentencePiece decodes the
/// whole sequence: each call returns only text that is final, so a character spelled by several
/// byte tokens (an emoji is four) appears once all its bytes are in, never as half a character.
/// The deltas joined equal <see cref="Tokenizer.Decode"/> of all the ids. One per stream; not thread-safe.
/// </summary>
/// <remarks>
/// SentencePiece's rules, which this follows exactly: "▁" is a space, except that the leading "▁" of
/// the first piece that is not a control token is dropped (it is the dummy prefix the encoder added);
/// control tokens decode to nothing and end any run of byte tokens; a byte that does not start a
/// complete UTF-8 sequence becomes U+FFFD on its own; the unknown token reads " ⁇ ".
/// </remarks>
public sealed class Detokenizer
{
    /// <summary>What SentencePiece shows for the unknown token.</summary>
    internal const string UnknownSurface = " \u2047 ";

    private readonly Vocabulary _vocabulary;
    private readonly bool _showControlTokens;
    private readonly byte[] _pending = new byte[4];
    private readonly StringBuilder _text = new();
    private int _pendingCount;
    private bool _atStart = true;

    /// <summary>Creates a detokenizer over <paramref name="vocabulary"/>.</summary>
    /// <param name="vocabulary">The vocabulary the ids index.</param>
    /// <param name="showControlTokens">Write control tokens (<c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>) as their pieces instead of nothing.</param>
    public Detokenizer(Vocabulary vocabulary, bool showControlTokens = false)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _vocabulary = vocabulary;
        _showControlTokens = showControlTokens;
    }

    /// <summary>Adds one id and returns the text it completes (often empty while bytes are pending).</summary>
    /// <param name="id">A token id in <c>[0, Vocabulary.Count)</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is outside the vocabulary; nothing changes.</exception>
    public string Append(int id)
    {
        TokenType type = _vocabulary.GetTokenType(id);
        _text.Clear();
        if (type == TokenType.Byte)
        {
            _pending[_pendingCount++] = ByteValue(id);
            ByteFallback.Drain(_pending, ref _pendingCount, _text, final: false);
            _atStart = false;
            return _text.ToString();
        }

        ByteFallback.Drain(_pending, ref _pendingCount, _text, final: true);
        if (type == TokenType.Control)
        {
            if (_showControlTokens)
                _text.Append(_vocabulary.GetPiece(id));
        }
        else if (type == TokenType.Unknown)
        {
            _text.Append(UnknownSurface);
            _atStart = false;
        }
        else
        {
            string piece = _vocabulary.GetPiece(id);
            int skip = _atStart && piece.StartsWith(BpeEncoder.SpaceSymbol) ? 1 : 0;
            _text.Append(piece.AsSpan(skip).ToString().Replace(BpeEncoder.SpaceSymbol, ' '));
            _atStart = false;
        }

        return _text.ToString();
    }

    /// <summary>Ends the stream: returns U+FFFD for each byte of a sequence left incomplete, and starts over.</summary>
    public string Flush()
    {
        _text.Clear();
        ByteFallback.Drain(_pending, ref _pendingCount, _text, final: true);
        _atStart = true;
        return _text.ToString();
    }

    private byte ByteValue(int id)
    {
        ByteFallback.TryParsePiece(_vocabulary.GetPiece(id), out byte value);
        return value;
    }
}
