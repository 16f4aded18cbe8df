namespace PixelLM.Segmentation;

/// <summary>
/// One target's codebook tokens as the model generated them: the hidden states that predicted each of
/// them (spec §6.4: the state of the token before each codebook token), in generation order, and where
/// in the answer they stood.
/// </summary>
/// <param name="Index">0 for the first complete group of the answer.</param>
/// <param name="PredictorStates">[group size][hidden width] row-major.</param>
/// <param name="Anchor">Index in the answer text where the group's codebook tokens were.</param>
/// <param name="Label">The phrase the model tied to the group (see <see cref="PhraseLabel"/>).</param>
internal sealed record CodebookGroup(int Index, float[] PredictorStates, int Anchor, TextSpan Label);
