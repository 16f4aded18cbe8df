using PixelLM.Gguf;
using PixelLM.Imaging;
using PixelLM.Llm;
using PixelLM.Pixel;
using PixelLM.Segmentation;
using PixelLM.Tokenization;

namespace PixelLM.Segmentation;

/// <summary>
/// A PixelLM model: the language model (<c>llm.gguf</c>) and the pixel file (<c>pixel.gguf</c>) of one
/// pair, as <c>pixellm convert</c> writes them, with the tokenizer and a cache of image features.
/// </summary>
/// <remarks>
/// Thread safety: immutable once loaded (the feature cache is internally synchronised); share one model
/// between any number of sessions and threads. Each <see cref="PixelLmSession"/> serves one caller.
/// </remarks>
public sealed class PixelLmModel : IDisposable
{
    /// <summary>File name of the language model inside a model directory.</summary>
    public const string LanguageModelFileName = "llm.gguf";

    /// <summary>File name of the pixel file inside a model directory.</summary>
    public const string PixelFileName = "pixel.gguf";

    private PixelLmModel(LanguageModel llm, PixelModel pixel, Tokenizer tokenizer, (float Level0, float Level1) scaleWeights,
        PixelLmModelOptions options)
    {
        LanguageModel = llm;
        PixelModel = pixel;
        Tokenizer = tokenizer;
        ScaleWeights = scaleWeights;
        PromptBuilder = new PixelLmPromptBuilder(tokenizer);
        Preprocessor = ImagePreprocessor.ForModel(pixel.Info);
        FeatureCache = new VisionFeatureCache(options.FeatureCacheBytes);
    }

    /// <summary>Loads a pair and checks that its two files belong together.</summary>
    /// <param name="llmPath">The language model file.</param>
    /// <param name="pixelPath">The pixel file.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <exception cref="PixelLmIOException">A file cannot be read.</exception>
    /// <exception cref="PixelLmFormatException">A file is damaged; the message names the key or tensor.</exception>
    /// <exception cref="PixelLmInvalidArgumentException">The files do not belong together (width or vocabulary differ).</exception>
    /// <exception cref="TokenizerVocabularyException">The vocabulary lacks PixelLM's added tokens.</exception>
    public static PixelLmModel Load(string llmPath, string pixelPath, PixelLmModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(llmPath);
        ArgumentException.ThrowIfNullOrEmpty(pixelPath);
        options ??= new PixelLmModelOptions();
        options.Validate();
        LanguageModel? llm = null;
        PixelModel? pixel = null;
        try
        {
            llm = LanguageModel.Load(llmPath);
            pixel = PixelModel.Load(pixelPath);
            pixel.CheckPair(llm);
            Tokenizer tokenizer;
            using (GgufFile file = GgufFile.Open(llmPath))
                tokenizer = Tokenizer.FromMetadata(file.Metadata);
            CheckTokens(tokenizer, pixel.Info, pixelPath);
            return new PixelLmModel(llm, pixel, tokenizer, ReadScaleWeights(pixelPath), options);
        }
        catch
        {
            pixel?.Dispose();
            llm?.Dispose();
            throw;
        }
    }

    /// <summary>Loads <c>llm.gguf</c> and <c>pixel.gguf</c> from <paramref name="directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file of the pair is missing; the message names it.</exception>
    public static PixelLmModel LoadDirectory(string directory, PixelLmModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"The model directory '{directory}' does not exist.");
        string llm = System.IO.Path.Combine(directory, LanguageModelFileName);
        string pixel = System.IO.Path.Combine(directory, PixelFileName);
        foreach (string path in new[] { llm, pixel })
        {
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"The model directory '{directory}' has no '{System.IO.Path.GetFileName(path)}'; it should hold the pair `pixellm convert` writes ({LanguageModelFileName}, {PixelFileName}).", path);
        }
        return Load(llm, pixel, options);
    }

    /// <summary>The language model.</summary>
    public LanguageModel LanguageModel { get; }

    /// <summary>The vision tower, projectors and pixel decoder.</summary>
    public PixelModel PixelModel { get; }

    /// <summary>The tokenizer, read from the language model file.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>The weights of the two decoder levels' logits in the fused mask (spec §8.5; 0.5 each in the release).</summary>
    public (float Level0, float Level1) ScaleWeights { get; }

    /// <summary>Builds the conversation's prompt ids (spec §5.2-5.3) with this model's tokenizer.</summary>
    public PixelLmPromptBuilder PromptBuilder { get; }

    /// <summary>The preprocessing this model's vision tower expects (size, patch, mean, std from the pixel file).</summary>
    public ImagePreprocessor Preprocessor { get; }

    internal VisionFeatureCache FeatureCache { get; }

    /// <summary>Creates a session: one conversation about one image at a time, with its own KV cache and thread pools.</summary>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public PixelLmSession CreateSession(PixelLmSessionOptions? options = null)
    {
        options ??= new PixelLmSessionOptions();
        options.Validate();
        return new PixelLmSession(this, options);
    }

    /// <summary>Releases the model; sessions keep the native weights alive until they are disposed.</summary>
    public void Dispose()
    {
        PixelModel.Dispose();
        LanguageModel.Dispose();
    }

    // pixellm.fusion.multiscale_scalar: the untrained constants of spec §6.4 / §13.5, stored by the converter.
    private static (float, float) ReadScaleWeights(string pixelPath)
    {
        const string key = "pixellm.fusion.multiscale_scalar";
        using GgufFile file = GgufFile.Open(pixelPath);
        float[] weights = file.Metadata.GetValue(key).ToArray<float>();
        if (weights.Length != 2)
            throw new PixelLmFormatException($"'{pixelPath}': metadata key '{key}' holds {weights.Length} values; the decoder has 2 levels.", string.Empty);
        return (weights[0], weights[1]);
    }

    private static void CheckTokens(Tokenizer tokenizer, PixelModelInfo info, string pixelPath)
    {
        IReadOnlyDictionary<string, int> added = tokenizer.Vocabulary.AddedTokens;
        void Expect(string name, int id)
        {
            if (!added.TryGetValue(name, out int actual) || actual != id)
                throw new PixelLmInvalidArgumentException(
                    $"The models do not belong together: the pixel file '{pixelPath}' gives '{name}' id {id}, the language model's vocabulary " +
                    (added.ContainsKey(name) ? $"gives {added[name]}." : "has no such token."), string.Empty);
        }
        Expect(PixelLmPromptBuilder.ImageStartToken, info.ImageStartId);
        Expect(PixelLmPromptBuilder.ImageEndToken, info.ImageEndId);
        for (int i = 0; i < info.SegTokenIds.Count; i++)
            Expect($"[SEG{i}]", info.SegTokenIds[i]);
    }
}
