namespace PixelLM.Tokenization;

/// <summary>
/// The tokenizer vocabulary in a GGUF file is missing, of an unsupported model, or inconsistent.
/// <see cref="Key"/> names the metadata key at fault.
/// </summary>
public sealed class TokenizerVocabularyException : PixelLmFormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The metadata key at fault, e.g. <c>tokenizer.ggml.scores</c>.</param>
    /// <param name="message">What is wrong with it.</param>
    public TokenizerVocabularyException(string key, string message)
        : base($"tokenizer vocabulary: '{key}': {message}", string.Empty)
    {
        Key = key;
    }

    /// <summary>The metadata key at fault.</summary>
    public string Key { get; }
}
