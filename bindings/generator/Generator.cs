using PixelLM.BindingsGenerator.Emitting;
using PixelLM.BindingsGenerator.Model;
using PixelLM.BindingsGenerator.Parsing;

namespace PixelLM.BindingsGenerator;

/// <summary>
/// Generates the C# bindings and the native layout probe from a C header. Deterministic: the same
/// header gives byte-identical files (LF line endings, no timestamps, no absolute paths).
/// </summary>
public static class Generator
{
    /// <summary>The generated C# file: NativeMethods, enums, structs and handle types.</summary>
    public const string InteropFileName = "PixelLM.Interop.g.cs";

    /// <summary>The generated C file of the test-only pixellm_layout_probe library.</summary>
    public const string LayoutProbeFileName = "pixellm_layout_probe.g.c";

    /// <summary>Parses the header into the model the emitters write from.</summary>
    /// <exception cref="BindingsGeneratorException">libclang is missing, the header does not compile, or it declares something without a blittable mirror.</exception>
    public static HeaderModel Parse(string headerPath) =>
        HeaderParser.Parse(headerPath, RepositoryLayout.DisplayPath(headerPath));

    /// <summary>The generated files by file name (<see cref="InteropFileName"/>, <see cref="LayoutProbeFileName"/>).</summary>
    /// <exception cref="BindingsGeneratorException">libclang is missing, the header does not compile, or it declares something without a blittable mirror.</exception>
    public static IReadOnlyDictionary<string, string> Generate(string headerPath)
    {
        var header = Parse(headerPath);
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [InteropFileName] = CSharpEmitter.Emit(header),
            [LayoutProbeFileName] = ProbeEmitter.Emit(header),
        };
    }
}
