namespace PixelLM.Llm;

/// <summary>How <see cref="TextGenerator"/> chooses tokens and when it stops.</summary>
public sealed record GenerationOptions
{
    /// <summary>The most tokens to generate (512, as PixelLM's chat does).</summary>
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>0 (default): greedy, the highest logit with ties to the lowest id (what the reference does). Above 0: sampling at this temperature.</summary>
    public float Temperature { get; init; }

    /// <summary>When sampling, keep only the this many most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>When sampling, keep the smallest set of most likely tokens whose probabilities sum to at least this (nucleus sampling); 1 keeps all.</summary>
    public float TopP { get; init; } = 1.0f;

    /// <summary>Seed of the sampler, for reproducible sampling; null draws one.</summary>
    public int? Seed { get; init; }

    /// <summary>Tokens that end generation (they are not part of the text); null: the vocabulary's end-of-sequence token.</summary>
    public IReadOnlyCollection<int>? StopTokens { get; init; }

    /// <summary>Checks every option; <see cref="TextGenerator.GenerateAsync"/> calls it too.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxNewTokens, nameof(MaxNewTokens));
        if (!(Temperature >= 0) || float.IsInfinity(Temperature))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "The temperature must be a finite value of at least 0.");
        ArgumentOutOfRangeException.ThrowIfNegative(TopK, nameof(TopK));
        if (!(TopP > 0 && TopP <= 1))
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "TopP must be in (0, 1].");
    }
}
