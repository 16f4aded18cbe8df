using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace PixelLM.Tests.Conversion;

/// <summary>Edits a safetensors file in place: its JSON header (to make damaged checkpoints) or one tensor's values.</summary>
internal static class SafetensorsEditor
{
    /// <summary>Applies <paramref name="edit"/> to the header of <paramref name="path"/>.</summary>
    public static void EditHeader(string path, Action<JsonObject> edit)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(bytes.AsSpan(8, length))!.AsObject();
        edit(header);
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        using FileStream stream = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
        stream.Write(prefix);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++)
            stream.WriteByte((byte)' ');
        stream.Write(bytes.AsSpan(8 + length));
    }

    /// <summary>Multiplies the F32 tensor <paramref name="name"/> of <paramref name="path"/> by <paramref name="factor"/> in place.</summary>
    public static void ScaleF32(string path, string name, float factor)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        JsonNode entry = JsonNode.Parse(bytes.AsSpan(8, length))![name]!;
        if (entry["dtype"]!.GetValue<string>() != "F32")
            throw new ArgumentException($"{name} is not F32", nameof(name));
        int begin = 8 + length + entry["data_offsets"]![0]!.GetValue<int>();
        int end = 8 + length + entry["data_offsets"]![1]!.GetValue<int>();
        for (int i = begin; i < end; i += 4)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i), BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i)) * factor);
        File.WriteAllBytes(path, bytes);
    }
}
