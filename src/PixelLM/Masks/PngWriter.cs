using System.Buffers.Binary;
using System.IO.Compression;

namespace PixelLM.Masks;

/// <summary>
/// The PNG container (ISO/IEC 15948): signature, IHDR, one zlib-compressed IDAT, IEND, each chunk with its
/// CRC-32. Rows are stored unfiltered (filter type 0): masks and overlays compress well without filtering.
/// </summary>
internal static class PngWriter
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = CreateCrcTable();

    /// <summary>Colour types used here: 0 grey, 2 RGB.</summary>
    public const byte Grey = 0, Rgb = 2;

    /// <summary>
    /// Encodes an image whose rows <paramref name="writeRow"/> fills (<paramref name="rowBytes"/> bytes each,
    /// without the filter byte).
    /// </summary>
    public static byte[] Encode(int width, int height, byte bitDepth, byte colourType, int rowBytes, Action<int, Span<byte>> writeRow)
    {
        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = bitDepth;
        header[9] = colourType;
        // header[10..12]: deflate compression, adaptive filtering, no interlace (all 0).
        WriteChunk(png, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[rowBytes + 1];
            for (int y = 0; y < height; y++)
            {
                row[0] = 0;
                writeRow(y, row.AsSpan(1));
                zlib.Write(row);
            }
        }
        WriteChunk(png, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        Span<byte> typeBytes = [(byte)type[0], (byte)type[1], (byte)type[2], (byte)type[3]];
        png.Write(typeBytes);
        png.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }

    // CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), as the PNG specification defines it.
    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] CreateCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
