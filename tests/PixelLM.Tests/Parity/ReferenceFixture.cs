using System.Text.Json;
using PixelLM.Conversion;

namespace PixelLM.Tests.Parity;

/// <summary>
/// One fixture set written by the reference (<c>pixellm_ref.fixtures</c>): <c>manifest.json</c> with the
/// prompt, ids and sizes, and <c>tensors.safetensors</c> with every intermediate.
/// </summary>
internal sealed class ReferenceFixture : IDisposable
{
    private readonly SafetensorsFile _tensors;

    private ReferenceFixture(string directory, JsonDocument manifest, SafetensorsFile tensors)
    {
        Directory = directory;
        Manifest = manifest;
        _tensors = tensors;
    }

    public string Directory { get; }

    public JsonDocument Manifest { get; }

    public static ReferenceFixture Load(string name)
    {
        string directory = TestData.Require("fixtures", name);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")));
        return new ReferenceFixture(directory, manifest, SafetensorsFile.Open(Path.Combine(directory, "tensors.safetensors")));
    }

    public int[] Ids(string key) => Manifest.RootElement.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>(h', w'): the image size after the longest-side resize to 448 (spec §2.2).</summary>
    public (int Height, int Width) InputSize
    {
        get
        {
            JsonElement size = Manifest.RootElement.GetProperty("image").GetProperty("input_size");
            return (size[0].GetInt32(), size[1].GetInt32());
        }
    }

    /// <summary>A float tensor as f32, flattened row-major, with its shape.</summary>
    public (float[] Values, IReadOnlyList<long> Shape) Tensor(string name)
    {
        CheckpointTensor tensor = _tensors.Tensors.FirstOrDefault(t => t.Name == name)
            ?? throw new InvalidOperationException($"{Directory}: the fixture has no tensor '{name}'");
        var values = new float[tensor.ElementCount];
        tensor.ReadFloat32(values);
        return (values, tensor.Shape);
    }

    public void Dispose()
    {
        _tensors.Dispose();
        Manifest.Dispose();
    }
}
