using System.Runtime.CompilerServices;
using PixelLM.Tokenization;

namespace PixelLM.Llm;

/// <summary>
/// Generates text with a <see cref="LanguageModelContext"/> and its model's <see cref="Tokenizer"/>:
/// prefill the prompt, then choose and feed back one token at a time, streaming each token's text as it
/// becomes complete. Uses sequence 0 of the context, which it clears first.
/// </summary>
public sealed class TextGenerator
{
    private readonly LanguageModelContext _context;
    private readonly Tokenizer _tokenizer;

    /// <summary>Creates a generator over a context and the tokenizer of the same model.</summary>
    public TextGenerator(LanguageModelContext context, Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _context = context;
        _tokenizer = tokenizer;
    }

    /// <summary>
    /// Runs <paramref name="promptIds"/> (text tokens, BOS included if wanted) and yields the generated
    /// tokens until a stop token (not yielded), <see cref="GenerationOptions.MaxNewTokens"/>, or the end of the
    /// context. Cancellation is checked between tokens; the context stays usable after it.
    /// </summary>
    /// <exception cref="ArgumentException">The prompt is empty or holds an id that is not a token.</exception>
    /// <exception cref="PixelLmContextFullException">The prompt alone does not fit the context.</exception>
    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(
        IReadOnlyList<int> promptIds, GenerationOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        if (promptIds.Count == 0)
            throw new ArgumentException("The prompt is empty.", nameof(promptIds));
        options ??= new GenerationOptions();
        options.Validate();
        var stops = new HashSet<int>(options.StopTokens ?? [_tokenizer.Vocabulary.EosId]);
        var sampler = new TokenSampler(options);
        Detokenizer text = _tokenizer.CreateDetokenizer();

        _context.TruncateSequence(0, 0);
        var batch = new DecodeBatch();
        for (int i = 0; i < promptIds.Count; i++)
            batch.AddToken(promptIds[i], 0, i, output: i == promptIds.Count - 1);
        await Task.Run(() => _context.Decode(batch), cancellationToken).ConfigureAwait(false);

        int position = promptIds.Count;
        for (int generated = 0; generated < options.MaxNewTokens; generated++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int token = sampler.Next(_context.GetLogits(0));
            if (stops.Contains(token))
                break;
            yield return new GeneratedToken(token, text.Append(token));
            if (generated + 1 == options.MaxNewTokens || position >= _context.ContextLength)
                break;
            batch.Clear();
            batch.AddToken(token, 0, position++, output: true);
            await Task.Run(() => _context.Decode(batch), cancellationToken).ConfigureAwait(false);
        }
        string rest = text.Flush();
        if (rest.Length > 0)
            yield return new GeneratedToken(null, rest);
    }
}
