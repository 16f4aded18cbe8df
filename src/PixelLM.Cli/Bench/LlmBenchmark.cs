using System.Diagnostics;
using PixelLM.Llm;

namespace PixelLM.Cli.Bench;

/// <summary>
/// The language-model stages of <c>pixellm bench</c>, timed through the public C# API (the Decode call
/// is what a host pays): prefill (one batch of N tokens from an empty sequence), generation (single-token
/// decodes after a short prompt) and batched decoding (S sequences, one token each per Decode call).
/// Each stage runs once to warm up (page in the memory-mapped weights, fault in scratch), then
/// <see cref="LlmBenchOptions.Runs"/> times; the median run is reported.
/// </summary>
internal static class LlmBenchmark
{
    private const double MiB = 1024.0 * 1024.0;

    /// <summary>Runs every stage asked for, yielding each result as soon as it is measured.</summary>
    internal static IEnumerable<BenchResult> Run(LlmBenchOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        double fileMb = new FileInfo(options.ModelPath).Length / MiB;
        double? baselineMb = ProcessMemory.ResidentMb();
        using LanguageModel model = LanguageModel.Load(options.ModelPath);
        LanguageModelInfo info = model.Info;
        var tokens = new BenchTokens(info.VocabularySize);

        if (options.Prefill > 0 || options.Generate > 0)
        {
            int contextLength = Math.Max(options.Prefill, options.DecodePrompt + options.Generate);
            using LanguageModelContext context = model.CreateContext(new LanguageModelContextOptions
            {
                Threads = options.Threads,
                ContextLength = contextLength,
                Sequences = 1,
                BatchSize = Math.Max(512, options.Prefill),
            });
            var common = new BenchResult("", "", options.Threads, 0, options.Runs)
            {
                BaselineRssMb = baselineMb,
                FileMb = fileMb,
                KvCacheMb = KeyValueCacheBytes(info, contextLength, 1) / MiB,
                Layers = info.LayerCount,
            };
            if (options.Prefill > 0)
            {
                double ms = MedianRun(options.Runs, cancellationToken, () => Prefill(context, tokens, options.Prefill));
                yield return common with
                {
                    Stage = "llm-prefill", Shape = $"pp{options.Prefill}", MedianMs = ms, Tokens = options.Prefill,
                    PeakRssMb = ProcessMemory.PeakResidentMb(),
                };
            }
            if (options.Generate > 0)
            {
                double ms = MedianRun(options.Runs, cancellationToken,
                    () => Generate(context, tokens, options.DecodePrompt, options.Generate));
                yield return common with
                {
                    Stage = "llm-decode", Shape = $"tg{options.Generate}", MedianMs = ms, Tokens = options.Generate,
                    PeakRssMb = ProcessMemory.PeakResidentMb(),
                };
            }
        }

        foreach (int sequences in options.Sequences)
        {
            int contextLength = options.DecodePrompt + options.BatchSteps;
            using LanguageModelContext context = model.CreateContext(new LanguageModelContextOptions
            {
                Threads = options.Threads,
                ContextLength = contextLength,
                Sequences = sequences,
                BatchSize = Math.Max(512, sequences),
            });
            double ms = MedianRun(options.Runs, cancellationToken,
                () => Batched(context, tokens, sequences, options.DecodePrompt, options.BatchSteps));
            yield return new BenchResult("llm-batched", $"s{sequences}xtg{options.BatchSteps}", options.Threads, ms,
                options.Runs)
            {
                Tokens = sequences * options.BatchSteps,
                PeakRssMb = ProcessMemory.PeakResidentMb(),
                BaselineRssMb = baselineMb,
                FileMb = fileMb,
                KvCacheMb = KeyValueCacheBytes(info, contextLength, sequences) / MiB,
                Layers = info.LayerCount,
                Sequences = sequences,
            };
        }
    }

    /// <summary>Bytes of an F16 KV cache (keys and values) for the given positions and sequences.</summary>
    internal static long KeyValueCacheBytes(LanguageModelInfo info, int contextLength, int sequences)
    {
        long headWidth = info.EmbeddingWidth / info.HeadCount;
        return 2L * info.LayerCount * contextLength * sequences * info.KeyValueHeadCount * headWidth * sizeof(ushort);
    }

    // One warm-up, then `runs` timed runs; each run returns the milliseconds it timed itself.
    private static double MedianRun(int runs, CancellationToken cancellationToken, Func<double> run)
    {
        run();
        var times = new List<double>(runs);
        for (int i = 0; i < runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            times.Add(run());
        }
        return BenchStatistics.Median(times);
    }

    private static double Prefill(LanguageModelContext context, BenchTokens tokens, int count)
    {
        context.TruncateSequence(0, 0);
        var batch = new DecodeBatch();
        for (int i = 0; i < count; i++)
            batch.AddToken(tokens.Next(), 0, i);
        long start = Stopwatch.GetTimestamp();
        context.Decode(batch);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    // Only the single-token decodes are timed, not the prompt before them.
    private static double Generate(LanguageModelContext context, BenchTokens tokens, int prompt, int count)
    {
        context.TruncateSequence(0, 0);
        var batch = new DecodeBatch();
        for (int i = 0; i < prompt; i++)
            batch.AddToken(tokens.Next(), 0, i);
        context.Decode(batch);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            batch.Clear();
            batch.AddToken(tokens.Next(), 0, prompt + i, output: true);
            context.Decode(batch);
        }
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    // Every sequence gets its prompt (untimed), then each timed Decode advances all of them by one token.
    private static double Batched(LanguageModelContext context, BenchTokens tokens, int sequences, int prompt, int steps)
    {
        var batch = new DecodeBatch();
        for (int s = 0; s < sequences; s++)
        {
            context.TruncateSequence(s, 0);
            batch.Clear();
            for (int i = 0; i < prompt; i++)
                batch.AddToken(tokens.Next(), s, i);
            context.Decode(batch);
        }
        long start = Stopwatch.GetTimestamp();
        for (int step = 0; step < steps; step++)
        {
            batch.Clear();
            for (int s = 0; s < sequences; s++)
                batch.AddToken(tokens.Next(), s, prompt + step, output: true);
            context.Decode(batch);
        }
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
