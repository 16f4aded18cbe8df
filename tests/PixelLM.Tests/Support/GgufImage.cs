using System.Text;

namespace PixelLM.Tests.Support;

/// <summary>
/// Builds GGUF v3 byte images by hand, for content <see cref="PixelLM.Gguf.GgufWriter"/> cannot
/// produce (arrays of arrays): metadata only, no tensors.
/// </summary>
internal sealed class GgufImage
{
    private readonly List<Action<BinaryWriter>> _entries = [];

    public GgufImage Add(string key, uint type, Action<BinaryWriter> value)
    {
        _entries.Add(w =>
        {
            WriteString(w, key);
            w.Write(type);
            value(w);
        });
        return this;
    }

    public byte[] ToArray()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("GGUF"u8);
            w.Write(3u);          // version
            w.Write(0UL);         // tensor count
            w.Write((ulong)_entries.Count);
            foreach (Action<BinaryWriter> entry in _entries)
                entry(w);
            while (stream.Length % 32 != 0)
                w.Write((byte)0); // data section starts aligned (and is empty)
        }

        return stream.ToArray();
    }

    public static void WriteString(BinaryWriter w, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    /// <summary>An array header: element type and count (type tag 9 itself is written by <see cref="Add"/>).</summary>
    public static void WriteArrayHeader(BinaryWriter w, uint elementType, ulong count)
    {
        w.Write(elementType);
        w.Write(count);
    }
}
