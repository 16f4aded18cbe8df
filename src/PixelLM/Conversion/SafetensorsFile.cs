using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text.Json;

namespace PixelLM.Conversion;

/// <summary>
/// A memory-mapped safetensors file: an 8-byte little-endian header length N, N bytes of JSON
/// <c>{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}</c>, then the data.
/// Every field is checked before any tensor is exposed: a hostile header gets an error naming the file
/// and the tensor, never an out-of-range read or a huge allocation.
/// </summary>
internal sealed unsafe class SafetensorsFile : IDisposable
{
    // Real headers are a few MB at most (one entry per tensor); this only stops absurd allocations.
    private const long MaxHeaderBytes = 100L << 20;

    private static readonly Dictionary<string, (CheckpointDType Type, int Size)> DTypes = new(StringComparer.Ordinal)
    {
        ["F32"] = (CheckpointDType.F32, 4), ["F16"] = (CheckpointDType.F16, 2), ["BF16"] = (CheckpointDType.BF16, 2),
        ["F64"] = (CheckpointDType.Unsupported, 8), ["I64"] = (CheckpointDType.Unsupported, 8),
        ["U64"] = (CheckpointDType.Unsupported, 8), ["I32"] = (CheckpointDType.Unsupported, 4),
        ["U32"] = (CheckpointDType.Unsupported, 4), ["I16"] = (CheckpointDType.Unsupported, 2),
        ["U16"] = (CheckpointDType.Unsupported, 2), ["I8"] = (CheckpointDType.Unsupported, 1),
        ["U8"] = (CheckpointDType.Unsupported, 1), ["BOOL"] = (CheckpointDType.Unsupported, 1),
        ["F8_E4M3"] = (CheckpointDType.Unsupported, 1), ["F8_E5M2"] = (CheckpointDType.Unsupported, 1),
    };

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private bool _disposed;

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view)
    {
        Path = path;
        _map = map;
        _view = view;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    /// <summary>The file's path.</summary>
    internal string Path { get; }

    /// <summary>Its tensors, in header order.</summary>
    internal IReadOnlyList<CheckpointTensor> Tensors { get; private set; } = [];

    /// <summary>Maps and validates the file at <paramref name="path"/>.</summary>
    internal static SafetensorsFile Open(string path)
    {
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConversionErrors.Io($"{path}: cannot read: {e.Message}");
        }

        if (length < 8)
            throw ConversionErrors.Format($"{path}: truncated safetensors file: {length} bytes, the header length alone takes 8");

        MemoryMappedFile map;
        try
        {
            map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConversionErrors.Io($"{path}: cannot map: {e.Message}");
        }

        var file = new SafetensorsFile(path, map, map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read));
        try
        {
            file.ReadHeader(length);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    private void ReadHeader(long length)
    {
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(_base, 8));
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, length - 8))
            throw ConversionErrors.Format($"{Path}: header length {headerLength} runs past the end of the {length}-byte file (truncated safetensors header)");

        long dataStart = 8 + (long)headerLength;
        long dataLength = length - dataStart;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(new ReadOnlyMemory<byte>(new ReadOnlySpan<byte>(_base + 8, (int)headerLength).ToArray()));
        }
        catch (JsonException e)
        {
            throw ConversionErrors.Format($"{Path}: the safetensors header is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw ConversionErrors.Format($"{Path}: the safetensors header is not a JSON object");
            var tensors = new List<CheckpointTensor>();
            var ranges = new List<(long Begin, long End, string Name)>();
            foreach (JsonProperty entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                    continue;
                tensors.Add(ReadEntry(entry, dataStart, dataLength, ranges));
            }

            // An empty tensor occupies no bytes, so it cannot overlap anything (its offsets may
            // legitimately equal another tensor's start).
            ranges.RemoveAll(range => range.Begin == range.End);
            ranges.Sort((a, b) => a.Begin.CompareTo(b.Begin));
            for (int i = 1; i < ranges.Count; i++)
            {
                if (ranges[i].Begin < ranges[i - 1].End)
                    throw ConversionErrors.Format($"{Path}: tensor '{ranges[i].Name}': data_offsets overlap those of '{ranges[i - 1].Name}'");
            }

            Tensors = tensors;
        }
    }

    private CheckpointTensor ReadEntry(JsonProperty entry, long dataStart, long dataLength, List<(long, long, string)> ranges)
    {
        string name = entry.Name;
        string where = $"{Path}: tensor '{name}'";
        JsonElement value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object)
            throw ConversionErrors.Format($"{where}: the header entry is not an object");
        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw ConversionErrors.Format($"{where}: missing or non-string 'dtype'");
        string dtypeName = dtypeElement.GetString()!;
        if (!DTypes.TryGetValue(dtypeName, out var dtype))
            throw ConversionErrors.Format($"{where}: unknown dtype '{dtypeName}'");

        if (!value.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw ConversionErrors.Format($"{where}: missing or non-array 'shape'");
        var shape = new long[shapeElement.GetArrayLength()];
        long count = 1;
        int d = 0;
        foreach (JsonElement dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long n) || n < 0)
                throw ConversionErrors.Format($"{where}: shape entry {d} is not a non-negative integer");
            shape[d++] = n;
            // Bounded by the file size below; the check here only stops the product from overflowing.
            count = n == 0 || count == 0 ? 0 : count > dataLength / n ? dataLength + 1 : count * n;
        }

        if (!value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2 || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
            throw ConversionErrors.Format($"{where}: 'data_offsets' is not a pair of integers");
        if (begin < 0 || end < begin || end > dataLength)
            throw ConversionErrors.Format($"{where}: data_offsets [{begin}, {end}] lie outside the {dataLength}-byte data section");
        if (count > dataLength || end - begin != count * dtype.Size)
            throw ConversionErrors.Format($"{where}: data_offsets [{begin}, {end}] hold {end - begin} bytes, but {dtypeName} {CheckpointTensor.FormatShape(shape)} needs {(count > dataLength ? "more than the file" : (count * dtype.Size).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        ranges.Add((begin, end, name));
        return new CheckpointTensor(name, Path, dtype.Type, dtypeName, shape, new MappedRange(this, dataStart + begin, end - begin));
    }

    private sealed class MappedRange(SafetensorsFile file, long start, long length) : ITensorDataSource
    {
        public void Read(long offset, Span<byte> destination)
        {
            if (offset < 0 || offset + destination.Length > length)
                throw new ArgumentOutOfRangeException(nameof(offset));
            new ReadOnlySpan<byte>(file._base + start + offset, destination.Length).CopyTo(destination);
        }
    }
}
