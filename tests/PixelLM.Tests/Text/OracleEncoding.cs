namespace PixelLM.Tests.Text;

/// <summary>One text's ids and their decoding, by sentencepiece.</summary>
internal sealed record OracleEncoding(int[] Ids, string Decoded);
