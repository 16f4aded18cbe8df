
namespace PixelLM.Segmentation;

/// <summary>Options for a <see cref="PixelLmSession"/>.</summary>
public sealed record PixelLmSessionOptions
{
    /// <summary>Threads of the session's compute pools, the caller's included; 0 (default): the physical cores.</summary>
    public int Threads { get; init; }

    /// <summary>Positions the conversation may hold (prompt, image tokens, answers); 0 (default): the model's trained context.</summary>
    public int ContextLength { get; init; }

    /// <summary>The most tokens one answer may have (default 512, as the original chat script).</summary>
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>Width and height of the masks; null (default): the image's own size (spec §9.1 resizes to it).</summary>
    public (int Width, int Height)? MaskSize { get; init; }

    /// <summary>What happens to an incomplete group of codebook tokens (default: keep the complete groups).</summary>
    public CodebookGroupRule GroupRule { get; init; } = CodebookGroupRule.CompleteGroups;

    /// <summary>
    /// For parity tests against the reference's teacher-forced fixtures: these answer tokens are fed instead
    /// of the model's choices (the answer ends after the last, or at an end token among them).
    /// </summary>
    internal IReadOnlyList<int>? ForcedAnswer { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfNegative(ContextLength, nameof(ContextLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxNewTokens, 1, nameof(MaxNewTokens));
        if (MaskSize is { } size && (size.Width < 1 || size.Height < 1))
            throw new ArgumentOutOfRangeException(nameof(MaskSize), size, "A mask size needs a positive width and height.");
        if (!Enum.IsDefined(GroupRule))
            throw new ArgumentOutOfRangeException(nameof(GroupRule), GroupRule, "Unknown codebook group rule.");
    }
}
