namespace PixelLM.Llm;

/// <summary>
/// Chooses the next token from logits: greedy (ties to the lowest id, as the reference's argmax), or
/// sampled at a temperature after top-k and top-p filtering, from a seeded generator.
/// </summary>
internal sealed class TokenSampler
{
    private readonly GenerationOptions _options;
    private readonly Random _random;
    private int[] _order = [];
    private double[] _weights = [];

    internal TokenSampler(GenerationOptions options)
    {
        _options = options;
        _random = options.Seed is int seed ? new Random(seed) : new Random();
    }

    internal int Next(ReadOnlySpan<float> logits)
    {
        if (_options.Temperature == 0)
            return ArgMax(logits);

        if (_order.Length != logits.Length)
        {
            _order = new int[logits.Length];
            _weights = new double[logits.Length];
        }
        for (int i = 0; i < logits.Length; i++)
            _order[i] = i;
        float[] copy = logits.ToArray();
        // Most likely first; equal logits keep id order so results are reproducible.
        Array.Sort(_order, (a, b) => copy[b] != copy[a] ? copy[b].CompareTo(copy[a]) : a.CompareTo(b));

        int kept = _options.TopK > 0 ? Math.Min(_options.TopK, logits.Length) : logits.Length;
        double max = copy[_order[0]] / _options.Temperature;
        double total = 0;
        for (int i = 0; i < kept; i++)
        {
            _weights[i] = Math.Exp(copy[_order[i]] / _options.Temperature - max);
            total += _weights[i];
        }
        if (_options.TopP < 1)
        {
            double cumulative = 0;
            for (int i = 0; i < kept; i++)
            {
                cumulative += _weights[i] / total;
                if (cumulative >= _options.TopP)
                {
                    kept = i + 1;
                    break;
                }
            }
            total = 0;
            for (int i = 0; i < kept; i++)
                total += _weights[i];
        }

        double draw = _random.NextDouble() * total;
        for (int i = 0; i < kept; i++)
        {
            draw -= _weights[i];
            if (draw < 0)
                return _order[i];
        }
        return _order[kept - 1];
    }

    internal static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best])
                best = i;
        return best;
    }
}
