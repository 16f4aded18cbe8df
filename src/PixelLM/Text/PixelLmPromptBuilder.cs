namespace PixelLM.Tokenization;

/// <summary>
/// Builds PixelLM's prompt ids (spec §5.2–5.3): the llava_v1 conversation
/// <c>{system} USER: &lt;im_start&gt;&lt;image&gt;&lt;im_end&gt;\n{question} ASSISTANT:</c>, tokenized
/// the way the original does it, with the question as plain text (§15.3).
/// </summary>
/// <remarks>
/// The result is <c>[BOS] + SP("{system} USER:") + [&lt;im_start&gt;, image, &lt;im_end&gt;] +
/// SP("{question} ASSISTANT:")</c>: the text around the added tokens is encoded in separate chunks,
/// each with its own dummy-prefix space, and whitespace next to an added token is stripped, so the
/// "\n" after <c>&lt;im_end&gt;</c> and any leading whitespace of the question are lost, as in the original.
/// </remarks>
public sealed class PixelLmPromptBuilder
{
    /// <summary>The id that marks where the image embeddings go (the original's <c>IMAGE_TOKEN_INDEX</c>); never embedded.</summary>
    public const int ImagePlaceholderId = -200;

    /// <summary>The system prompt of the llava_v1 template, verbatim.</summary>
    public const string SystemPrompt =
        "A chat between a curious human and an artificial intelligence assistant. " +
        "The assistant gives helpful, detailed, and polite answers to the human's questions.";

    /// <summary>The added token that opens the image.</summary>
    public const string ImageStartToken = "<im_start>";

    /// <summary>The added token that closes the image.</summary>
    public const string ImageEndToken = "<im_end>";

    private readonly Tokenizer _tokenizer;
    private readonly int _imageStartId;
    private readonly int _imageEndId;

    /// <summary>Creates a builder; the image tokens' ids are looked up in the vocabulary by name.</summary>
    /// <param name="tokenizer">The tokenizer of the model.</param>
    /// <exception cref="TokenizerVocabularyException">The vocabulary lacks <c>&lt;im_start&gt;</c> or <c>&lt;im_end&gt;</c> as added tokens.</exception>
    public PixelLmPromptBuilder(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        _imageStartId = AddedTokenId(tokenizer.Vocabulary, ImageStartToken);
        _imageEndId = AddedTokenId(tokenizer.Vocabulary, ImageEndToken);
    }

    /// <summary>The prompt ids for <paramref name="question"/>, with <see cref="ImagePlaceholderId"/> at the image's place.</summary>
    /// <param name="question">The user's question; plain text, whatever it contains.</param>
    public int[] Build(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        int[] system = _tokenizer.EncodeSegments(
            [PromptSegment.FromText(SystemPrompt + " USER: "), PromptSegment.FromToken(_imageStartId)]);
        int[] user = _tokenizer.EncodeSegments(
            [PromptSegment.FromToken(_imageEndId), PromptSegment.FromText("\n" + question + " ASSISTANT:")]);
        return [_tokenizer.Vocabulary.BosId, .. system, ImagePlaceholderId, .. user];
    }

    /// <summary>
    /// The ids of a follow-up question in the same conversation, after an answer whose tokens (but not its
    /// end token) are already in the context: llava_v1 closes each answer with <c>&lt;/s&gt;</c> and goes on
    /// with <c>USER: {question} ASSISTANT:</c> (the TWO separator style, spec §5.2), tokenized like the first
    /// turn's text with its own dummy-prefix space. The original chat script keeps no history (it resets the
    /// conversation every turn); this is the template's own multi-turn form.
    /// </summary>
    /// <param name="question">The user's follow-up; plain text, whatever it contains.</param>
    public int[] BuildFollowUp(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return [_tokenizer.Vocabulary.EosId, .. _tokenizer.Encode("USER: " + question + " ASSISTANT:")];
    }

    /// <summary>
    /// The same conversation template without an image (spec §5.2): <c>{SYSTEM} USER: {question} ASSISTANT:</c>
    /// after one BOS, for text-only generation. Needs no added tokens, so it serves any LLaMA vocabulary.
    /// </summary>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="question">The user's text; never split into special tokens (§15.3).</param>
    public static int[] BuildTextOnly(Tokenizer tokenizer, string question)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(question);
        return [tokenizer.Vocabulary.BosId, .. tokenizer.Encode(SystemPrompt + " USER: " + question + " ASSISTANT:")];
    }

    private static int AddedTokenId(Vocabulary vocabulary, string name) =>
        vocabulary.AddedTokens.TryGetValue(name, out int id)
            ? id
            : throw new TokenizerVocabularyException(Vocabulary.TokensKey, $"has no added token '{name}'");
}
