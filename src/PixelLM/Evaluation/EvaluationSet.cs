using System.Text.Json;
using PixelLM.Imaging;

namespace PixelLM.Evaluation;

/// <summary>One question of an evaluation set: an image, the question, the expected answer and the ground-truth masks.</summary>
/// <param name="Index">Position in the set.</param>
/// <param name="Kind">The question's kind (refer, absent, attribute, ...).</param>
/// <param name="ImagePath">The image file.</param>
/// <param name="Question">The question.</param>
/// <param name="Answer">The expected answer, codebook tokens included.</param>
/// <param name="TargetMaskPaths">One greyscale PNG per target (non-zero = object), in answer order.</param>
public sealed record EvaluationItem(int Index, string Kind, string ImagePath, string Question, string Answer,
    IReadOnlyList<string> TargetMaskPaths);

/// <summary>
/// An evaluation set as the reference's <c>pixellm_ref.synth.export</c> writes it (format
/// <c>pixellm-shapes-eval/1</c>): <c>items.json</c>, <c>images/*.png</c>, <c>masks/*.png</c>.
/// </summary>
public sealed class EvaluationSet
{
    /// <summary>The format this reader understands.</summary>
    public const string Format = "pixellm-shapes-eval/1";

    private EvaluationSet(string directory, IReadOnlyList<EvaluationItem> items)
    {
        Directory = directory;
        Items = items;
    }

    /// <summary>The directory the set was read from.</summary>
    public string Directory { get; }

    /// <summary>The questions, in order.</summary>
    public IReadOnlyList<EvaluationItem> Items { get; }

    /// <summary>Reads <c>items.json</c> of <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no items.json.</exception>
    /// <exception cref="InvalidDataException">items.json is not a set of this format; the message says what is wrong.</exception>
    public static EvaluationSet Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string path = Path.Combine(directory, "items.json");
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{directory}' holds no items.json; write a set with `python3 -m pixellm_ref.synth.export`.", path);
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            string? format = root.GetProperty("format").GetString();
            if (format != Format)
                throw new InvalidDataException($"{path}: format is '{format}'; this reader understands '{Format}'.");
            var items = new List<EvaluationItem>();
            foreach (JsonElement item in root.GetProperty("items").EnumerateArray())
            {
                items.Add(new EvaluationItem(
                    item.GetProperty("index").GetInt32(),
                    item.GetProperty("kind").GetString() ?? "",
                    Path.Combine(directory, item.GetProperty("image").GetString()!),
                    item.GetProperty("question").GetString()!,
                    item.GetProperty("answer").GetString()!,
                    [.. item.GetProperty("targets").EnumerateArray().Select(t => Path.Combine(directory, t.GetProperty("mask").GetString()!))]));
            }
            return new EvaluationSet(directory, items);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: not a valid evaluation set: {e.Message}", e);
        }
    }

    /// <summary>Reads a ground-truth mask: 1 where the PNG is non-zero.</summary>
    public static byte[] ReadMask(string path, int width, int height)
    {
        using PixelImage image = PixelImage.Load(path);
        if (image.Width != width || image.Height != height)
            throw new InvalidDataException($"{path} is {image.Width}x{image.Height}; the image is {width}x{height}.");
        ReadOnlySpan<byte> rgb = image.Pixels;
        var mask = new byte[width * height];
        for (int i = 0; i < mask.Length; i++)
            mask[i] = rgb[3 * i] != 0 ? (byte)1 : (byte)0;
        return mask;
    }
}
