namespace PixelLM.Cli.Bench;

/// <summary>
/// Deterministic pseudo-random token ids, so every run (and every machine) feeds the same tokens: a
/// random model's cost does not depend on the ids, but determinism keeps runs comparable anyway.
/// </summary>
internal sealed class BenchTokens
{
    // Ids below this are <unk>, <s>, </s>: kept out so no special handling can skew a run.
    private const int FirstOrdinary = 3;
    private readonly int _vocabulary;
    private uint _state;

    internal BenchTokens(int vocabulary, uint seed = 12345)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(vocabulary, FirstOrdinary);
        _vocabulary = vocabulary;
        _state = seed == 0 ? 1u : seed;
    }

    /// <summary>The next id in [3, vocabulary).</summary>
    internal int Next()
    {
        // xorshift32: tiny, fast and identical on every platform.
        _state ^= _state << 13;
        _state ^= _state >> 17;
        _state ^= _state << 5;
        return FirstOrdinary + (int)(_state % (uint)(_vocabulary - FirstOrdinary));
    }
}
