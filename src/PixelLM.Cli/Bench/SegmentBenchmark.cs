using System.Diagnostics;
using PixelLM.Imaging;
using PixelLM.Llm;
using PixelLM.Masks;
using PixelLM.Pixel;
using PixelLM.Segmentation;

namespace PixelLM.Cli.Bench;

/// <summary>
/// End-to-end latency split by stage, the same stages and inputs as the reference's
/// <c>pixellm_ref.bench_segment</c>: decode, preprocess, vision (tower, projectors, neck), prefill (the
/// prompt with the image tokens), generation (--gen single-token steps fed the shared xorshift32 token
/// stream, so both sides run the same number of steps whatever a random model would choose), the pixel
/// decoder for --targets objects from random codebook states, and post-processing to the original size.
/// One warm-up pass, then the median of each stage over the runs.
/// </summary>
internal static class SegmentBenchmark
{
    internal static readonly string[] Stages = ["decode", "preprocess", "vision", "prefill", "generation", "pixel-decoder", "postprocess"];

    internal static IReadOnlyList<BenchResult> Run(string llmPath, string pixelPath, string imagePath, string question, int threads,
        int gen, int targets, int runs, CancellationToken cancellationToken)
    {
        using PixelLmModel model = PixelLmModel.Load(llmPath, pixelPath, new PixelLmModelOptions { FeatureCacheBytes = 0 });
        using LanguageModelContext llm = model.LanguageModel.CreateContext(new LanguageModelContextOptions { Threads = threads });
        using PixelContext pixel = model.PixelModel.CreateContext(threads, maxTargets: targets);
        var tokens = new BenchTokens(model.LanguageModel.Info.VocabularySize);
        int[] prompt = model.PromptBuilder.Build(question);
        var random = new Random(0);
        float[] states = new float[targets * model.PixelModel.Info.SegTokenIds.Count * model.LanguageModel.Info.EmbeddingWidth];
        for (int i = 0; i < states.Length; i++)
            states[i] = (float)(random.NextDouble() * 2 - 1);

        var samples = Stages.ToDictionary(s => s, _ => new List<double>());
        for (int pass = 0; pass <= runs; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var times = new Dictionary<string, double>();
            T Time<T>(string stage, Func<T> work)
            {
                long start = Stopwatch.GetTimestamp();
                T value = work();
                times[stage] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                return value;
            }

            using PixelImage image = Time("decode", () => PixelImage.Load(imagePath));
            PreprocessedImage pre = Time("preprocess", () => model.Preprocessor.Preprocess(image));
            (VisionFeatures features, float[] neck) = Time("vision", () =>
            {
                VisionFeatures f = pixel.EncodeImage(pre.Pixels, pre.ResizedHeight, pre.ResizedWidth);
                return (f, pixel.PrepareMaskFeatures(f.MaskFeatures));
            });
            int width = model.LanguageModel.Info.EmbeddingWidth;
            int position = 0;
            Time("prefill", () =>
            {
                llm.TruncateSequence(0, 0);
                var batch = new DecodeBatch(width);
                for (int k = 0; k < prompt.Length; k++)
                {
                    if (prompt[k] == Tokenization.PixelLmPromptBuilder.ImagePlaceholderId)
                        for (int i = 0; i < pre.TokenValid.Length; i++)
                            batch.AddEmbedding(features.ImageTokens.AsSpan(i * width, width), 0, position++, hiddenKey: !pre.TokenValid[i]);
                    else
                        batch.AddToken(prompt[k], 0, position++, output: k == prompt.Length - 1);
                }
                llm.Decode(batch);
                return ArgMax(llm.GetLogits(0));
            });
            Time("generation", () =>
            {
                var batch = new DecodeBatch();
                for (int step = 0; step < gen; step++)
                {
                    batch.Clear();
                    batch.AddToken(tokens.Next(), 0, position++, output: true);
                    llm.Decode(batch);
                    ArgMax(llm.GetLogits(0));
                }
                return 0;
            });
            DecodedMasks decoded = Time("pixel-decoder", () => pixel.DecodeMasks(neck, states, targets));
            Time("postprocess", () => new MaskPostprocessor().Process(decoded.Level0, decoded.Level0Side, decoded.Level1,
                decoded.Level1Side, new MaskGeometry(pre.ResizedHeight, pre.ResizedWidth, image.Height, image.Width)));
            if (pass > 0)
                foreach ((string stage, double ms) in times)
                    samples[stage].Add(ms);
        }

        var results = new List<BenchResult>();
        foreach (string stage in Stages)
            results.Add(new BenchResult(stage, stage == "generation" ? $"tg{gen}" : stage == "pixel-decoder" ? $"n{targets}" : "1",
                threads, BenchStatistics.Median(samples[stage]), runs) { Tokens = stage == "generation" ? gen : 0 });
        results.Add(new BenchResult("total", "1", threads, BenchStatistics.Median([.. Enumerable.Range(0, runs).Select(r => Stages.Sum(s => samples[s][r]))]), runs)
        {
            PeakRssMb = ProcessMemory.PeakResidentMb(),
        });
        return results;
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best])
                best = i;
        return best;
    }
}
