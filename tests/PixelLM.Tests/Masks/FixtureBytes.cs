using System.Buffers.Binary;
using System.Text.Json;

namespace PixelLM.Tests.Masks;

/// <summary>
/// Reads a U8 tensor (the reference's binary masks) from a fixture's safetensors file, which the f32-only
/// checkpoint reader does not serve: an 8-byte header length, the JSON header, then the data.
/// </summary>
internal static class FixtureBytes
{
    public static byte[] Read(string directory, string name)
    {
        byte[] file = File.ReadAllBytes(Path.Combine(directory, "tensors.safetensors"));
        int headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, headerLength));
        JsonElement tensor = header.RootElement.GetProperty(name);
        if (tensor.GetProperty("dtype").GetString() != "U8")
            throw new InvalidOperationException($"{name} is not U8");
        JsonElement offsets = tensor.GetProperty("data_offsets");
        int start = 8 + headerLength + offsets[0].GetInt32();
        return file[start..(8 + headerLength + offsets[1].GetInt32())];
    }
}
