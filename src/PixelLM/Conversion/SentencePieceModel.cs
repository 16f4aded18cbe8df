using System.Buffers.Binary;
using System.Text;

namespace PixelLM.Conversion;

/// <summary>
/// The pieces of a SentencePiece <c>tokenizer.model</c>, read straight from its protobuf wire format:
/// <c>ModelProto</c> field 1 is the repeated <c>SentencePiece { 1: piece string, 2: score float, 3: type enum }</c>;
/// every other field is skipped. Piece types keep SentencePiece's numbers (NORMAL 1, UNKNOWN 2, CONTROL 3,
/// USER_DEFINED 4, UNUSED 5, BYTE 6), which are also GGUF's token types.
/// </summary>
internal sealed class SentencePieceModel
{
    private const int TypeNormal = 1;
    private const int TypeByte = 6;

    private SentencePieceModel(List<string> pieces, List<float> scores, List<int> types)
    {
        Pieces = pieces;
        Scores = scores;
        Types = types;
    }

    /// <summary>The piece strings by id.</summary>
    internal IReadOnlyList<string> Pieces { get; }

    /// <summary>The piece scores by id.</summary>
    internal IReadOnlyList<float> Scores { get; }

    /// <summary>The piece types by id.</summary>
    internal IReadOnlyList<int> Types { get; }

    /// <summary>Parses the model file at <paramref name="path"/>.</summary>
    internal static SentencePieceModel Load(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConversionErrors.Io($"{path}: cannot read the tokenizer: {e.Message}");
        }

        var pieces = new List<string>();
        var scores = new List<float>();
        var types = new List<int>();
        var reader = new WireReader(data, path);
        while (!reader.AtEnd)
        {
            (int field, int wire) = reader.Tag();
            if (field == 1 && wire == 2)
            {
                ReadPiece(reader.Bytes(), path, pieces.Count, out string piece, out float score, out int type);
                pieces.Add(piece);
                scores.Add(score);
                types.Add(type);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (pieces.Count == 0)
            throw ConversionErrors.Format($"{path}: no pieces; not a SentencePiece model");
        return new SentencePieceModel(pieces, scores, types);
    }

    private static void ReadPiece(ReadOnlySpan<byte> message, string path, int id, out string piece, out float score, out int type)
    {
        string? text = null;
        score = 0;
        type = TypeNormal;
        var reader = new WireReader(message.ToArray(), path);
        while (!reader.AtEnd)
        {
            (int field, int wire) = reader.Tag();
            if (field == 1 && wire == 2)
                text = DecodeUtf8(reader.Bytes(), path, id);
            else if (field == 2 && wire == 5)
                score = BinaryPrimitives.ReadSingleLittleEndian(reader.Fixed(4));
            else if (field == 3 && wire == 0)
                type = (int)reader.Varint();
            else
                reader.Skip(wire);
        }

        if (text is null || type is < TypeNormal or > TypeByte)
            throw ConversionErrors.Format($"{path}: piece {id} has no text or an unknown type {type}");
        piece = text;
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, string path, int id)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ConversionErrors.Format($"{path}: piece {id} is not valid UTF-8");
        }
    }

    // Protobuf wire-format cursor with every length checked against the buffer.
    private sealed class WireReader(byte[] data, string path)
    {
        private int _position;

        internal bool AtEnd => _position >= data.Length;

        internal (int Field, int Wire) Tag()
        {
            ulong tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        internal ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Fixed(1)[0];
                value |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                    return value;
            }

            throw Error("varint longer than 10 bytes");
        }

        internal ReadOnlySpan<byte> Fixed(int count)
        {
            if (count > data.Length - _position)
                throw Error("field runs past the end");
            var span = new ReadOnlySpan<byte>(data, _position, count);
            _position += count;
            return span;
        }

        internal ReadOnlySpan<byte> Bytes()
        {
            ulong length = Varint();
            return length > (ulong)(data.Length - _position) ? throw Error("length-delimited field runs past the end") : Fixed((int)length);
        }

        internal void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: Fixed(8); break;
                case 2: Bytes(); break;
                case 5: Fixed(4); break;
                default: throw Error($"unsupported wire type {wire}");
            }
        }

        private PixelLmFormatException Error(string message) =>
            ConversionErrors.Format($"{path}: damaged SentencePiece model at byte {_position}: {message}");
    }
}
