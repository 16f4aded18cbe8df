using System.IO.Compression;
using System.Text;

namespace PixelLM.Conversion;

/// <summary>
/// A PyTorch checkpoint as <c>torch.save</c> writes it since 1.6: a zip archive holding
/// <c>{archive}/data.pkl</c> (the state dict, pickled), one raw little-endian storage per
/// <c>{archive}/data/{key}</c> entry, and optionally <c>{archive}/byteorder</c>. The pickle runs in a
/// <see cref="RestrictedUnpickler"/>; tensor bytes are streamed from their entry only when read.
/// </summary>
internal sealed class TorchZipCheckpoint : IDisposable
{
    // A state dict's pickle holds names and shapes only; this bounds the one allocation it needs.
    private const long MaxPickleBytes = 256L << 20;

    private readonly ZipArchive _zip;

    private TorchZipCheckpoint(string path, ZipArchive zip)
    {
        Path = path;
        _zip = zip;
    }

    /// <summary>The file's path.</summary>
    internal string Path { get; }

    /// <summary>Its tensors, in pickle order.</summary>
    internal IReadOnlyList<CheckpointTensor> Tensors { get; private set; } = [];

    /// <summary>Opens the archive at <paramref name="path"/> and reads its tensor table.</summary>
    internal static TorchZipCheckpoint Open(string path)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            throw ConversionErrors.Format($"{path}: not a torch zip checkpoint ({e.Message}); legacy non-zip torch files are not supported");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConversionErrors.Io($"{path}: cannot read: {e.Message}");
        }

        var checkpoint = new TorchZipCheckpoint(path, zip);
        try
        {
            checkpoint.ReadTable();
            return checkpoint;
        }
        catch (InvalidDataException e)
        {
            checkpoint.Dispose();
            throw ConversionErrors.Format($"{path}: damaged zip archive: {e.Message}");
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _zip.Dispose();

    private void ReadTable()
    {
        ZipArchiveEntry pickle = _zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.IndexOf('/') == e.FullName.Length - 9)
            ?? throw ConversionErrors.Format($"{Path}: no '<archive>/data.pkl' entry; not a torch zip checkpoint");
        string prefix = pickle.FullName[..^"data.pkl".Length];
        string where = $"{Path}:{pickle.FullName}";

        ZipArchiveEntry? byteOrder = _zip.GetEntry(prefix + "byteorder");
        if (byteOrder is not null)
        {
            string order = Encoding.ASCII.GetString(ReadAll(byteOrder, 16)).Trim();
            if (order != "little")
                throw ConversionErrors.Unsupported($"{Path}:{byteOrder.FullName}: byte order '{order}' is not supported (only little)");
        }

        object? root = RestrictedUnpickler.Load(ReadAll(pickle, MaxPickleBytes), where);
        if (root is not PickleDictionary dict)
            throw ConversionErrors.Format($"{where}: the pickled object is not a dict of tensors");

        var tensors = new List<CheckpointTensor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((object? key, object? value) in dict.Entries)
        {
            if (key is not string name)
                throw ConversionErrors.Format($"{where}: a state-dict key is not a string");
            if (value is not TorchTensorRef tensor)
                throw ConversionErrors.Format($"{where}: '{name}' is not a tensor");
            if (!seen.Add(name))
                throw ConversionErrors.Format($"{where}: tensor '{name}' appears twice");
            tensors.Add(CreateTensor(name, tensor, prefix));
        }

        Tensors = tensors;
    }

    private CheckpointTensor CreateTensor(string name, TorchTensorRef tensor, string prefix)
    {
        string where = $"{Path}: tensor '{name}'";
        // Only contiguous row-major views can be streamed as they lie in the storage.
        long expected = 1;
        for (int d = tensor.Shape.Length - 1; d >= 0; d--)
        {
            if (tensor.Shape[d] != 1 && tensor.Stride[d] != expected)
                throw ConversionErrors.Unsupported($"{where}: stride [{string.Join(", ", tensor.Stride)}] of shape {CheckpointTensor.FormatShape(tensor.Shape)} is not contiguous row-major");
            expected = checked(expected * tensor.Shape[d]);
        }

        TorchStorageRef storage = tensor.Storage;
        if (tensor.Offset < 0 || tensor.Offset > storage.ElementCount || expected > storage.ElementCount - tensor.Offset)
            throw ConversionErrors.Format($"{where}: {expected} elements from offset {tensor.Offset} overrun its storage '{storage.Key}' of {storage.ElementCount}");
        ZipArchiveEntry entry = _zip.GetEntry(prefix + "data/" + storage.Key)
            ?? throw ConversionErrors.Format($"{where}: storage entry '{prefix}data/{storage.Key}' is missing");
        if (entry.Length != storage.ElementCount * storage.ElementSize)
            throw ConversionErrors.Format($"{where}: storage entry '{entry.FullName}' holds {entry.Length} bytes, but {storage.ElementCount} x {storage.TypeName} need {storage.ElementCount * storage.ElementSize}");
        return new CheckpointTensor(name, Path, storage.DType, storage.TypeName, tensor.Shape,
            new EntryRange(entry, tensor.Offset * storage.ElementSize, expected * storage.ElementSize));
    }

    private byte[] ReadAll(ZipArchiveEntry entry, long limit)
    {
        if (entry.Length > limit)
            throw ConversionErrors.Format($"{Path}:{entry.FullName}: {entry.Length} bytes is more than the {limit} allowed");
        var bytes = new byte[entry.Length];
        using Stream stream = entry.Open();
        stream.ReadExactly(bytes);
        return bytes;
    }

    // Streams forward through one entry: a tensor is read front to back, once; the stream is
    // closed after its last byte so that no entry stays open between tensors.
    private sealed class EntryRange(ZipArchiveEntry entry, long start, long length) : ITensorDataSource
    {
        private Stream? _stream;
        private long _position;

        public void Read(long offset, Span<byte> destination)
        {
            if (_stream is null || offset < _position)
            {
                _stream?.Dispose();
                _stream = entry.Open();
                Skip(_stream, start);
                _position = 0;
            }

            Skip(_stream, offset - _position);
            _stream.ReadExactly(destination);
            _position = offset + destination.Length;
            if (_position >= length)
            {
                _stream.Dispose();
                _stream = null;
            }
        }

        private static void Skip(Stream stream, long count)
        {
            Span<byte> sink = stackalloc byte[4096];
            while (count > 0)
            {
                int n = (int)Math.Min(count, sink.Length);
                stream.ReadExactly(sink[..n]);
                count -= n;
            }
        }
    }
}
