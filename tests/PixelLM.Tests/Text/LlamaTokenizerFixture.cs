using PixelLM.Gguf;
using PixelLM.Tests.Support;
using PixelLM.Tokenization;

namespace PixelLM.Tests.Text;

/// <summary>
/// LLaMA's vocabulary (dumped by the oracle from the real tokenizer.model) plus PixelLM-7B's added
/// tokens, written to a GGUF file with the keys <c>pixellm convert</c> writes (<see cref="Write"/>)
/// and read back as a <see cref="Tokenizer"/>. Built once per test run, together with every oracle
/// answer the tests need.
/// </summary>
internal sealed class LlamaTokenizerFixture
{
    /// <summary>The 7B added tokens in id order from 32000 (spec §5.1).</summary>
    public static readonly string[] AddedTokens =
        ["<im_patch>", "<im_start>", "<im_end>", "[SEG0]", "[SEG1]", "[SEG2]", "[SEG3]", "[SEG4]", "[SEG5]"];

    public const int BaseCount = 32000;

    private static readonly Lazy<LlamaTokenizerFixture> Shared = new(() => new LlamaTokenizerFixture());

    private LlamaTokenizerFixture()
    {
        Texts = TokenizerTestStrings.Generate();
        DecodeSequences = TokenizerTestStrings.IdSequences(BaseCount);
        Questions = TokenizerTestStrings.Questions;
        Oracle = SentencePieceOracle.Ask(new { encode = Texts, decode = DecodeSequences, prompt = Questions });

        // The tokenizer holds everything it needs once read, so the file can go at once.
        using var directory = new TempDirectory();
        string path = directory.File("llm-vocabulary.gguf");
        Write(path, Oracle.Vocabulary);
        using GgufFile file = GgufFile.Open(path);
        Tokenizer = Tokenizer.FromMetadata(file.Metadata);
    }

    public static LlamaTokenizerFixture Instance => Shared.Value;


    public IReadOnlyList<string> Texts { get; }

    public IReadOnlyList<int[]> DecodeSequences { get; }

    public IReadOnlyList<string> Questions { get; }

    public OracleResponse Oracle { get; }

    public Tokenizer Tokenizer { get; }

    /// <summary>Writes the vocabulary GGUF: the base pieces, then the added tokens (score 0, USER_DEFINED).</summary>
    public static void Write(string path, OracleVocabulary vocabulary)
    {
        using var writer = new GgufWriter();
        writer.SetString("general.architecture", "llama");
        writer.SetString(Vocabulary.ModelKey, Vocabulary.LlamaModel);
        writer.SetStringArray(Vocabulary.TokensKey, [.. vocabulary.Pieces, .. AddedTokens]);
        writer.SetArray<float>(Vocabulary.ScoresKey, [.. vocabulary.Scores, .. AddedTokens.Select(_ => 0f)]);
        writer.SetArray<int>(Vocabulary.TokenTypesKey, [.. vocabulary.Types, .. AddedTokens.Select(_ => (int)TokenType.UserDefined)]);
        writer.SetUInt32(Vocabulary.BosIdKey, (uint)vocabulary.Bos);
        writer.SetUInt32(Vocabulary.EosIdKey, (uint)vocabulary.Eos);
        writer.SetUInt32(Vocabulary.UnknownIdKey, (uint)vocabulary.Unk);
        writer.SetUInt32(Vocabulary.PaddingIdKey, 0);
        writer.SetBoolean(Vocabulary.AddBosKey, true);
        writer.Begin(path);
        writer.Finish();
    }
}
