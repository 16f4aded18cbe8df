namespace PixelLM.Tests.Text;

/// <summary>The oracle's answer; see the script's docstring.</summary>
internal sealed record OracleResponse(
    OracleVocabulary Vocabulary,
    List<OracleEncoding> Encode,
    List<string> Decode,
    List<int[]> Prompt);
