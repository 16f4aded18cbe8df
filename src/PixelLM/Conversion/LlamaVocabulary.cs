using System.Text.Json;

namespace PixelLM.Conversion;

/// <summary>
/// The vocabulary written to <c>tokenizer.ggml.*</c>: the SentencePiece pieces followed by the entries of
/// <c>added_tokens.json</c> in id order (spec §5.1). Added tokens get score 0 and type USER_DEFINED (4),
/// and their ids must continue the base vocabulary without gaps.
/// </summary>
internal sealed class LlamaVocabulary
{
    private const int TypeUserDefined = 4;

    private LlamaVocabulary(string[] tokens, float[] scores, int[] types, Dictionary<string, int> added, int pieceCount)
    {
        Tokens = tokens;
        Scores = scores;
        Types = types;
        Added = added;
        PieceCount = pieceCount;
    }

    /// <summary>Token strings by id.</summary>
    internal string[] Tokens { get; }

    /// <summary>Token scores by id.</summary>
    internal float[] Scores { get; }

    /// <summary>Token types by id (SentencePiece / GGUF numbering).</summary>
    internal int[] Types { get; }

    /// <summary>The added tokens by name.</summary>
    internal IReadOnlyDictionary<string, int> Added { get; }

    /// <summary>The number of SentencePiece pieces.</summary>
    internal int PieceCount { get; }

    /// <summary>Reads <c>tokenizer.model</c> and <c>added_tokens.json</c> from <paramref name="directory"/>.</summary>
    internal static LlamaVocabulary Load(string directory)
    {
        string modelPath = Path.Combine(directory, "tokenizer.model");
        if (!File.Exists(modelPath))
            throw ConversionErrors.Io($"{modelPath}: missing file");
        SentencePieceModel sp = SentencePieceModel.Load(modelPath);
        string addedPath = Path.Combine(directory, "added_tokens.json");
        using JsonDocument document = JsonConfigReader.ParseFile(addedPath);

        var added = new List<(string Name, int Id)>();
        foreach (JsonProperty entry in document.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id))
                throw ConversionErrors.Format($"{addedPath}: token '{entry.Name}' has a non-integer id");
            added.Add((entry.Name, id));
        }

        added.Sort((a, b) => a.Id.CompareTo(b.Id));
        int count = sp.Pieces.Count + added.Count;
        var tokens = new string[count];
        var scores = new float[count];
        var types = new int[count];
        for (int i = 0; i < sp.Pieces.Count; i++)
        {
            tokens[i] = sp.Pieces[i];
            scores[i] = sp.Scores[i];
            types[i] = sp.Types[i];
        }

        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < added.Count; i++)
        {
            int expected = sp.Pieces.Count + i;
            if (added[i].Id != expected)
                throw ConversionErrors.Format($"{addedPath}: token '{added[i].Name}' has id {added[i].Id}, but added tokens must take the ids {sp.Pieces.Count}..{count - 1} after the {sp.Pieces.Count} pieces of tokenizer.model without gaps (expected {expected})");
            tokens[expected] = added[i].Name;
            types[expected] = TypeUserDefined;
            byName[added[i].Name] = expected;
        }

        return new LlamaVocabulary(tokens, scores, types, byName, sp.Pieces.Count);
    }
}
