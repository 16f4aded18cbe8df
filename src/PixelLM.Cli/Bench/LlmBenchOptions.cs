namespace PixelLM.Cli.Bench;

/// <summary>What <c>pixellm bench llm</c> measures; the defaults are llama-bench's pp512 / tg128.</summary>
internal sealed record LlmBenchOptions
{
    /// <summary>The language model's GGUF file.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Threads of the context's pool (the same number the rival gets).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Prompt-processing tokens: one batch from an empty sequence; 0 skips the stage.</summary>
    public int Prefill { get; init; } = 512;

    /// <summary>Generated tokens: single-token decodes after <see cref="DecodePrompt"/>; 0 skips the stage.</summary>
    public int Generate { get; init; } = 128;

    /// <summary>Tokens decoded (untimed) before generation, so attention reads a non-empty cache, as in a chat.</summary>
    public int DecodePrompt { get; init; } = 16;

    /// <summary>Timed runs per stage, after one warm-up run.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>Concurrent sequences for batched decoding (empty skips the stage).</summary>
    public IReadOnlyList<int> Sequences { get; init; } = [1, 4, 16];

    /// <summary>Decode steps of the batched stage (every sequence gains one token per step).</summary>
    public int BatchSteps { get; init; } = 32;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Threads < 1)
            throw new ArgumentException($"--threads must be at least 1 (got {Threads})");
        if (Prefill < 0 || Generate < 0 || BatchSteps < 1 || DecodePrompt < 1)
            throw new ArgumentException("--pp and --tg must be 0 or more, --batch-steps at least 1");
        if (Runs < 1)
            throw new ArgumentException($"--runs must be at least 1 (got {Runs})");
        foreach (int s in Sequences)
        {
            if (s < 1)
                throw new ArgumentException($"--sequences: every count must be at least 1 (got {s})");
        }
    }
}
