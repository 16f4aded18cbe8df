namespace PixelLM.Tests.Text;

/// <summary>The SentencePiece model's pieces, scores, types and special ids.</summary>
internal sealed record OracleVocabulary(string[] Pieces, float[] Scores, int[] Types, int Bos, int Eos, int Unk, int Pad);
