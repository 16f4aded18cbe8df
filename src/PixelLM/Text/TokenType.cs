namespace PixelLM.Tokenization;

/// <summary>
/// The kind of a vocabulary entry, numbered as SentencePiece numbers them (and as GGUF's
/// <c>tokenizer.ggml.token_type</c> stores them).
/// </summary>
public enum TokenType
{
    /// <summary>An ordinary piece, produced by BPE merges.</summary>
    Normal = 1,

    /// <summary>The unknown token (<c>&lt;unk&gt;</c>).</summary>
    Unknown = 2,

    /// <summary>A control token such as <c>&lt;s&gt;</c> or <c>&lt;/s&gt;</c>; never produced from text.</summary>
    Control = 3,

    /// <summary>A piece matched as one unit, never split or merged (also the type of added tokens).</summary>
    UserDefined = 4,

    /// <summary>A piece the encoder must not emit; it is split back into the pieces that formed it.</summary>
    Unused = 5,

    /// <summary>A byte-fallback token <c>&lt;0xXX&gt;</c> standing for one UTF-8 byte.</summary>
    Byte = 6,
}
