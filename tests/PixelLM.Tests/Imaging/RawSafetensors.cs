using System.Buffers.Binary;
using System.Text.Json;

namespace PixelLM.Tests.Imaging;

/// <summary>
/// Reads tensors of any dtype from a safetensors file as raw bytes with their shape (the product's
/// reader converts floating-point tensors only; the image tests compare U8 tensors byte for byte).
/// </summary>
internal sealed class RawSafetensors
{
    private readonly byte[] _file;
    private readonly Dictionary<string, (string DType, long[] Shape, long Begin, long End)> _entries = new();
    private readonly long _dataStart;

    private RawSafetensors(string path)
    {
        _file = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(_file);
        _dataStart = 8 + headerLength;
        using JsonDocument header = JsonDocument.Parse(_file.AsMemory(8, (int)headerLength));
        foreach (JsonProperty entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
                continue;
            JsonElement offsets = entry.Value.GetProperty("data_offsets");
            _entries[entry.Name] = (entry.Value.GetProperty("dtype").GetString()!,
                entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                offsets[0].GetInt64(), offsets[1].GetInt64());
        }
    }

    public static RawSafetensors Open(string path) => new(path);

    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>The bytes and shape of a U8 tensor.</summary>
    public (byte[] Bytes, long[] Shape) U8(string name)
    {
        if (!_entries.TryGetValue(name, out var entry))
            throw new InvalidOperationException($"no tensor '{name}'");
        if (entry.DType != "U8")
            throw new InvalidOperationException($"tensor '{name}' is {entry.DType}, not U8");
        return (_file.AsSpan((int)(_dataStart + entry.Begin), (int)(entry.End - entry.Begin)).ToArray(), entry.Shape);
    }
}
