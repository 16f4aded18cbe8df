namespace PixelLM.Llm;

/// <summary>One step of <see cref="TextGenerator.GenerateAsync"/>.</summary>
/// <param name="TokenId">
/// The token chosen; null only for a last entry that carries text the detokenizer held back (the
/// replacement character for a UTF-8 sequence the generation left unfinished).
/// </param>
/// <param name="Text">The text this token completes: possibly empty (part of a UTF-8 character still to come), never half a character.</param>
public readonly record struct GeneratedToken(int? TokenId, string Text);
