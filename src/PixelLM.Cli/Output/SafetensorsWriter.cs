using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace PixelLM.Cli.Output;

/// <summary>
/// Writes a safetensors file (8-byte little-endian header length, JSON header, raw little-endian data)
/// from named U8 and F32 tensors, in the order added, with string metadata. Small outputs only: the
/// tensors are held in memory until <see cref="Save"/>.
/// </summary>
internal sealed class SafetensorsWriter
{
    private readonly List<(string Name, string DType, long[] Shape, byte[] Data)> _tensors = [];
    private readonly Dictionary<string, string> _metadata = [];

    public void AddU8(string name, long[] shape, ReadOnlySpan<byte> values) => _tensors.Add((name, "U8", shape, values.ToArray()));

    public void AddF32(string name, long[] shape, ReadOnlySpan<float> values)
    {
        var data = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i]);
        _tensors.Add((name, "F32", shape, data));
    }

    public void AddMetadata(string key, string value) => _metadata[key] = value;

    /// <summary>Writes the file to a temporary name and renames it, so a failed write leaves nothing behind.</summary>
    public void Save(string path)
    {
        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (_metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in _metadata)
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, dtype, shape, data) in _tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (long d in shape)
                    json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += data.Length;
            }
            json.WriteEndObject();
        }
        // Pad the header with spaces to a multiple of 8 bytes, as the format recommends.
        int padding = (int)(-header.Length & 7);
        header.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));

        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            file.Write(length);
            header.Position = 0;
            header.CopyTo(file);
            foreach (var tensor in _tensors)
                file.Write(tensor.Data);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
