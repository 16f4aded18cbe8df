using System.Buffers.Binary;
using System.IO.Compression;
using NUnit.Framework;

namespace PixelLM.Tests.Masks;

/// <summary>
/// A minimal PNG reader for the encoder tests: checks the signature and every chunk's CRC-32, reads IHDR,
/// inflates the IDAT data and undoes filter type 0 (the only one the writer uses; others fail the test).
/// </summary>
internal static class PngTestReader
{
    public static (int Width, int Height, int BitDepth, int ColourType, byte[][] Rows) Read(byte[] png)
    {
        Assert.That(png[..8], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        int width = 0, height = 0, depth = 0, colour = 0;
        using var idat = new MemoryStream();
        var types = new List<string>();
        for (int p = 8; p < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(p));
            string type = System.Text.Encoding.ASCII.GetString(png, p + 4, 4);
            byte[] data = png[(p + 8)..(p + 8 + length)];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p + 8 + length));
            Assert.That(crc, Is.EqualTo(Crc32(png.AsSpan(p + 4, 4 + length))), $"CRC of {type}");
            types.Add(type);
            if (type == "IHDR")
                (width, height, depth, colour) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4)), data[8], data[9]);
            else if (type == "IDAT")
                idat.Write(data);
            p += 12 + length;
        }
        Assert.That(types[0], Is.EqualTo("IHDR"));
        Assert.That(types[^1], Is.EqualTo("IEND"));
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.CopyTo(inflated);
        byte[] raw = inflated.ToArray();
        int channels = colour == 2 ? 3 : 1;
        int rowBytes = (width * channels * depth + 7) / 8;
        Assert.That(raw, Has.Length.EqualTo(height * (rowBytes + 1)));
        var rows = new byte[height][];
        for (int y = 0; y < height; y++)
        {
            Assert.That(raw[y * (rowBytes + 1)], Is.Zero, "filter type 0");
            rows[y] = raw.AsSpan(y * (rowBytes + 1) + 1, rowBytes).ToArray();
        }
        return (width, height, depth, colour, rows);
    }

    // Bitwise CRC-32 (0xEDB88320), independent of the writer's table.
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
