using System.CommandLine;
using PixelLM.Segmentation;

namespace PixelLM.Cli.Commands;

/// <summary>
/// The <c>--model DIR</c> / <c>--llm FILE --pixel FILE</c> options every command that runs the whole model
/// shares: a directory holding the pair <c>pixellm convert</c> writes, or the two files named directly.
/// </summary>
internal sealed class ModelLocation
{
    private readonly Option<string?> _directory = new("--model") { Description = "Directory with llm.gguf and pixel.gguf (what `pixellm convert` writes)." };
    private readonly Option<string?> _llm = new("--llm") { Description = "The language model file (instead of --model)." };
    private readonly Option<string?> _pixel = new("--pixel") { Description = "The pixel file (instead of --model)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_directory);
        command.Options.Add(_llm);
        command.Options.Add(_pixel);
    }

    /// <summary>The two paths, or an error message when the options do not name exactly one pair.</summary>
    public (string Llm, string Pixel)? Resolve(ParseResult parse, out string? error, string? defaultDirectory = null)
    {
        string? directory = parse.GetValue(_directory);
        string? llm = parse.GetValue(_llm);
        string? pixel = parse.GetValue(_pixel);
        error = null;
        if (directory is not null && (llm is not null || pixel is not null))
        {
            error = "give either --model DIR or --llm and --pixel, not both";
            return null;
        }
        if (llm is not null || pixel is not null)
        {
            if (llm is null || pixel is null)
            {
                error = "--llm and --pixel go together";
                return null;
            }
            return (llm, pixel);
        }
        directory ??= defaultDirectory;
        if (directory is null)
        {
            error = "name the model with --model DIR (or --llm FILE --pixel FILE)";
            return null;
        }
        return (Path.Combine(directory, PixelLmModel.LanguageModelFileName), Path.Combine(directory, PixelLmModel.PixelFileName));
    }
}
