using System.Diagnostics;
using PixelLM.Gguf;

namespace PixelLM.Conversion;

/// <summary>
/// Converts a Hugging Face PixelLM checkpoint and the CLIP checkpoint it was built on into the GGUF pair of
/// the design: <c>OUT/llm.gguf</c> (llama.cpp's <c>llama</c> layout) and <c>OUT/pixel.gguf</c>.
/// </summary>
/// <remarks>
/// Everything that can be checked without reading tensor data is checked first: configs, vocabulary,
/// and the full tensor inventory (missing, extra, mis-shaped tensors, unsupported dtypes), each error naming
/// the file and the tensor or key. Then tensors are read, converted and written one at a time, so memory
/// stays bounded by one tensor's f32 copy. Both files are written through unfinished writers and only
/// renamed into place once both are complete; on any failure or cancellation neither is left behind.
/// </remarks>
public static class CheckpointConverter
{
    /// <summary>The LLM file's name inside the output directory.</summary>
    public const string LlmFileName = "llm.gguf";

    /// <summary>The pixel file's name inside the output directory.</summary>
    public const string PixelFileName = "pixel.gguf";

    /// <summary>
    /// The CLIP directory a checkpoint names: its config's <c>mm_vision_tower</c> taken relative to the
    /// checkpoint's parent directory, or null when that directory does not exist (a hub id such as
    /// <c>openai/clip-vit-large-patch14-336</c> usually does not).
    /// </summary>
    /// <param name="checkpointDirectory">The PixelLM checkpoint directory.</param>
    public static string? ResolveClipDirectory(string checkpointDirectory)
    {
        PixelLmCheckpointConfig cfg = PixelLmCheckpointConfig.Load(Path.Combine(checkpointDirectory, "config.json"));
        string parent = Path.GetDirectoryName(Path.GetFullPath(checkpointDirectory)) ?? ".";
        string candidate = Path.GetFullPath(Path.Combine(parent, cfg.VisionTower));
        return Directory.Exists(candidate) ? candidate : null;
    }

    /// <summary>Converts the checkpoint; see the class remarks.</summary>
    /// <param name="options">Directories and output types.</param>
    /// <param name="progress">Receives a report after each tensor; may be null.</param>
    /// <param name="cancellationToken">Checked between tensors; cancelling leaves no output behind.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="PixelLmIOException">A file is missing or unreadable, or the output cannot be written.</exception>
    /// <exception cref="PixelLmFormatException">A file is malformed or contradicts the config.</exception>
    /// <exception cref="PixelLmUnsupportedException">A tensor's dtype or layout is not supported.</exception>
    /// <exception cref="PixelLmInvalidArgumentException">An output type is not allowed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ConversionResult Convert(
        ConversionOptions options, IProgress<ConversionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LlmType is not (GgufTensorType.F32 or GgufTensorType.F16 or GgufTensorType.Q8_0 or GgufTensorType.Q4_0))
            throw new PixelLmInvalidArgumentException($"LLM type {options.LlmType} is not one of F32, F16, Q8_0, Q4_0", string.Empty);
        if (options.VisionType is not (GgufTensorType.F32 or GgufTensorType.F16))
            throw new PixelLmInvalidArgumentException($"vision type {options.VisionType} is not one of F32, F16", string.Empty);

        var clock = Stopwatch.StartNew();
        string checkpointDir = options.CheckpointDirectory;
        if (!Directory.Exists(checkpointDir))
            throw ConversionErrors.Io($"{checkpointDir}: checkpoint directory does not exist");
        PixelLmCheckpointConfig cfg = PixelLmCheckpointConfig.Load(Path.Combine(checkpointDir, "config.json"));
        string clipDir = options.ClipDirectory ?? ResolveClipDirectory(checkpointDir)
            ?? throw ConversionErrors.Io($"{Path.Combine(checkpointDir, "config.json")}: mm_vision_tower '{cfg.VisionTower}' is not a directory next to the checkpoint; pass the CLIP checkpoint with --clip");
        if (!Directory.Exists(clipDir))
            throw ConversionErrors.Io($"{clipDir}: CLIP directory does not exist");
        ClipVisionCheckpointConfig clip = ClipVisionCheckpointConfig.Load(Path.Combine(clipDir, "config.json"));
        if (cfg.VisionHiddenSize != clip.HiddenSize)
            throw ConversionErrors.Format($"{Path.Combine(checkpointDir, "config.json")}: key 'mm_hidden_size' = {cfg.VisionHiddenSize} disagrees with the CLIP hidden_size {clip.HiddenSize}");
        if (-cfg.VisionSelectLayer > clip.LayerCount + 1)
            throw ConversionErrors.Format($"{Path.Combine(checkpointDir, "config.json")}: key 'mm_vision_select_layer' = {cfg.VisionSelectLayer} is outside the {clip.LayerCount + 1} CLIP hidden states");

        LlamaVocabulary vocab = LlamaVocabulary.Load(checkpointDir);
        using CheckpointWeights weights = CheckpointWeights.Open(checkpointDir);
        using CheckpointWeights clipWeights = CheckpointWeights.Open(clipDir);
        CheckVocabularySize(vocab, cfg, weights, checkpointDir);

        var planned = new List<PlannedTensor>();
        foreach ((ExpectedTensor e, CheckpointTensor t) in CheckpointInventory.Match(weights, CheckpointInventory.PixelLm(cfg), CheckpointInventory.IsIgnoredPixelLm))
        {
            if (e.Role == TensorRole.Llm)
                planned.Add(LlmFileLayout.Plan(t, options.LlmType));
            else if (e.Role == TensorRole.Pixel)
                planned.Add(PixelFileLayout.Plan(t, options.VisionType, clip));
        }

        foreach ((_, CheckpointTensor t) in CheckpointInventory.Match(clipWeights, CheckpointInventory.Clip(clip), CheckpointInventory.IsIgnoredClip))
            planned.Add(PixelFileLayout.Plan(t, options.VisionType, clip));

        PlannedTensor? huge = planned.FirstOrDefault(p => Math.Max(p.Source.ElementCount, p.ElementCount) > Array.MaxLength);
        if (huge is not null)
            throw ConversionErrors.Unsupported($"{huge.Source.FilePath}: tensor '{huge.Source.Name}' has {huge.Source.ElementCount} elements, more than one f32 buffer can hold");

        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpointDir)));
        return Write(options, cfg, clip, vocab, name, planned, clock, progress, cancellationToken);
    }

    private static void CheckVocabularySize(LlamaVocabulary vocab, PixelLmCheckpointConfig cfg, CheckpointWeights weights, string checkpointDir)
    {
        long embedRows = weights.Tensors.TryGetValue("model.embed_tokens.weight", out CheckpointTensor? embed) && embed.Shape.Count == 2 ? embed.Shape[0] : -1;
        if (vocab.Tokens.Length != cfg.VocabSize || (embedRows >= 0 && embedRows != vocab.Tokens.Length))
            throw ConversionErrors.Format(
                $"{Path.Combine(checkpointDir, "added_tokens.json")}: the vocabulary has {vocab.Tokens.Length} tokens ({vocab.PieceCount} in tokenizer.model + {vocab.Added.Count} added), "
                + $"but config.json vocab_size is {cfg.VocabSize} and model.embed_tokens.weight has {embedRows} rows");
    }

    private static ConversionResult Write(
        ConversionOptions options, PixelLmCheckpointConfig cfg, ClipVisionCheckpointConfig clip, LlamaVocabulary vocab, string name,
        List<PlannedTensor> planned, Stopwatch clock, IProgress<ConversionProgress>? progress, CancellationToken cancellationToken)
    {
        string outDir = Path.GetFullPath(options.OutputDirectory);
        bool createdOut = !Directory.Exists(outDir);
        string llmPath = Path.Combine(outDir, LlmFileName);
        string pixelPath = Path.Combine(outDir, PixelFileName);
        var notes = planned.Where(p => p.Note is not null).Select(p => p.Note!).ToList();
        bool finished = false;
        try
        {
            CreateOutputDirectory(outDir);
            using var llm = new GgufWriter();
            using var pixel = new GgufWriter();
            LlmFileLayout.WriteMetadata(llm, cfg, vocab, name, options.LlmType);
            PixelFileLayout.WriteMetadata(pixel, cfg, clip, vocab, name, Path.Combine(options.CheckpointDirectory, "added_tokens.json"));
            foreach (PlannedTensor p in planned)
                (p.ToLlm ? llm : pixel).AddTensor(p.Name, p.Type, p.Shape);
            llm.Begin(llmPath);
            pixel.Begin(pixelPath);

            // The LLM file first: its tensors are declared in that order and each writer takes them in declaration order.
            List<PlannedTensor> ordered = [.. planned.Where(p => p.ToLlm), .. planned.Where(p => !p.ToLlm)];
            long total = ordered.Sum(p => p.ByteSize), done = 0;
            // Two buffers for the whole run, sized by the largest tensor: memory stays bounded however many
            // tensors there are, and no large array is left for the GC per tensor.
            var buffers = new TensorBuffers(
                planned.Max(p => p.Source.ElementCount),
                planned.Where(p => p.Transform != TensorTransform.None).Select(p => p.ElementCount).DefaultIfEmpty(0).Max());
            for (int i = 0; i < ordered.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                PlannedTensor p = ordered[i];
                WriteTensor(p.ToLlm ? llm : pixel, p, cfg, clip, buffers);
                done += p.ByteSize;
                progress?.Report(new ConversionProgress(p.Name, p.ToLlm ? LlmFileName : PixelFileName, i + 1, ordered.Count, done, total, p.Note));
            }

            cancellationToken.ThrowIfCancellationRequested();
            pixel.Finish();
            try
            {
                llm.Finish();
            }
            catch
            {
                // Both files or neither: the pixel file must not outlive a failed LLM file.
                File.Delete(pixelPath);
                throw;
            }

            finished = true;
        }
        finally
        {
            if (!finished && createdOut && Directory.Exists(outDir) && !Directory.EnumerateFileSystemEntries(outDir).Any())
                Directory.Delete(outDir);
        }

        return new ConversionResult(
            llmPath, pixelPath, new FileInfo(llmPath).Length, new FileInfo(pixelPath).Length,
            planned.Count(p => p.ToLlm), planned.Count(p => !p.ToLlm), options.LlmType, options.VisionType, clock.Elapsed, notes);
    }

    private static void CreateOutputDirectory(string outDir)
    {
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConversionErrors.Io($"{outDir}: cannot create the output directory: {e.Message}");
        }
    }

    private static void WriteTensor(GgufWriter writer, PlannedTensor p, PixelLmCheckpointConfig cfg, ClipVisionCheckpointConfig clip, TensorBuffers buffers)
    {
        CheckpointTensor source = p.Source;
        Span<float> values = buffers.Source.AsSpan(0, (int)source.ElementCount);
        source.ReadFloat32(values);
        if (p.Transform == TensorTransform.None)
        {
            writer.WriteTensor(values);
            return;
        }

        Span<float> output = buffers.Derived.AsSpan(0, (int)p.ElementCount);
        int rowLength = (int)source.Shape[^1];
        int g1 = PixelLmConstants.ImageSize / clip.PatchSize;
        switch (p.Transform)
        {
            case TensorTransform.RopeQ: RopeRowOrder.ToInterleaved(values, cfg.HeadCount, cfg.HeadDim, rowLength, output); break;
            case TensorTransform.RopeK: RopeRowOrder.ToInterleaved(values, cfg.HeadCountKv, cfg.HeadDim, rowLength, output); break;
            default: PositionTableStretch.Stretch(values, clip.OriginalGrid, g1, clip.HiddenSize, output); break;
        }

        writer.WriteTensor(output);
    }

    // The f32 copy of the tensor being converted, and the result of its transform (permuted or stretched).
    private sealed class TensorBuffers(long sourceLength, long derivedLength)
    {
        internal float[] Source { get; } = new float[sourceLength];

        internal float[] Derived { get; } = new float[derivedLength];
    }
}
