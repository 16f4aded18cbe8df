using System.Text.Json;

namespace PixelLM.Conversion;

/// <summary>
/// The weights of a Hugging Face checkpoint directory, whatever files hold them:
/// <c>model.safetensors</c>, <c>model.safetensors.index.json</c> + shards, <c>pytorch_model.bin</c>, or
/// <c>pytorch_model.bin.index.json</c> + shards (the form the released PixelLM checkpoints use). Headers are
/// read up front; tensor data stays in the files until a tensor is read.
/// </summary>
public sealed class CheckpointWeights : IDisposable
{
    private static readonly (string Index, string Single)[] Layouts =
    [
        ("model.safetensors.index.json", "model.safetensors"),
        ("pytorch_model.bin.index.json", "pytorch_model.bin"),
    ];

    private readonly List<IDisposable> _files;

    private CheckpointWeights(string directory, IReadOnlyDictionary<string, CheckpointTensor> tensors, List<IDisposable> files)
    {
        Directory = directory;
        Tensors = tensors;
        _files = files;
    }

    /// <summary>The checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>Every tensor by name.</summary>
    public IReadOnlyDictionary<string, CheckpointTensor> Tensors { get; }

    /// <summary>
    /// Opens the weights of <paramref name="directory"/>. A sharded checkpoint must agree exactly with its
    /// index: every listed shard exists, every mapped tensor is in its shard and every shard tensor is mapped there.
    /// </summary>
    /// <exception cref="PixelLmIOException">No weight files, or a shard is missing.</exception>
    /// <exception cref="PixelLmFormatException">A damaged file, or shards that disagree with the index.</exception>
    public static CheckpointWeights Open(string directory)
    {
        foreach ((string index, string single) in Layouts)
        {
            string indexPath = System.IO.Path.Combine(directory, index);
            if (File.Exists(indexPath))
                return OpenSharded(directory, indexPath, single.EndsWith(".bin", StringComparison.Ordinal));
            string singlePath = System.IO.Path.Combine(directory, single);
            if (File.Exists(singlePath))
                return Collect(directory, [(singlePath, null)]);
        }

        throw ConversionErrors.Io($"{directory}: no weights: none of {string.Join(", ", Layouts.SelectMany(l => new[] { l.Single, l.Index }))} exists");
    }

    /// <summary>Closes every weight file.</summary>
    public void Dispose()
    {
        foreach (IDisposable file in _files)
            file.Dispose();
    }

    private static CheckpointWeights OpenSharded(string directory, string indexPath, bool torch)
    {
        var weightMap = ReadWeightMap(indexPath);
        var shards = new List<(string Path, HashSet<string>? Expected)>();
        foreach (IGrouping<string, KeyValuePair<string, string>> shard in weightMap.GroupBy(p => p.Value).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            string path = System.IO.Path.Combine(directory, shard.Key);
            if (shard.Key.Contains('/') || shard.Key.Contains('\\') || !File.Exists(path))
                throw ConversionErrors.Io($"{indexPath}: shard '{shard.Key}' (holding '{shard.Select(p => p.Key).Min(StringComparer.Ordinal)}') is missing");
            if (shard.Key.EndsWith(".bin", StringComparison.Ordinal) != torch)
                throw ConversionErrors.Format($"{indexPath}: shard '{shard.Key}' is not a {(torch ? ".bin" : ".safetensors")} file");
            shards.Add((path, shard.Select(p => p.Key).ToHashSet(StringComparer.Ordinal)));
        }

        return Collect(directory, shards);
    }

    private static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out JsonElement map) || map.ValueKind != JsonValueKind.Object)
                throw ConversionErrors.Format($"{indexPath}: missing 'weight_map' object");
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw ConversionErrors.Format($"{indexPath}: weight_map entry '{entry.Name}' is not a file name");
                result[entry.Name] = entry.Value.GetString()!;
            }

            if (result.Count == 0)
                throw ConversionErrors.Format($"{indexPath}: 'weight_map' is empty");
            return result;
        }
        catch (JsonException e)
        {
            throw ConversionErrors.Format($"{indexPath}: not valid JSON: {e.Message}");
        }
    }

    private static CheckpointWeights Collect(string directory, List<(string Path, HashSet<string>? Expected)> shards)
    {
        var files = new List<IDisposable>();
        var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        try
        {
            foreach ((string path, HashSet<string>? expected) in shards)
            {
                IReadOnlyList<CheckpointTensor> found;
                if (path.EndsWith(".bin", StringComparison.Ordinal))
                {
                    TorchZipCheckpoint file = TorchZipCheckpoint.Open(path);
                    files.Add(file);
                    found = file.Tensors;
                }
                else
                {
                    SafetensorsFile file = SafetensorsFile.Open(path);
                    files.Add(file);
                    found = file.Tensors;
                }

                foreach (CheckpointTensor tensor in found)
                {
                    if (expected is not null && !expected.Contains(tensor.Name))
                        throw ConversionErrors.Format($"{path}: tensor '{tensor.Name}' is not mapped to this shard by the index (shards that disagree)");
                    if (!tensors.TryAdd(tensor.Name, tensor))
                        throw ConversionErrors.Format($"{path}: tensor '{tensor.Name}' is also in {tensors[tensor.Name].FilePath}");
                }

                string? absent = expected?.Where(name => !tensors.ContainsKey(name)).Order(StringComparer.Ordinal).FirstOrDefault();
                if (absent is not null)
                    throw ConversionErrors.Format($"{path}: tensor '{absent}' is mapped to this shard by the index but is absent (shards that disagree)");
            }

            return new CheckpointWeights(directory, tensors, files);
        }
        catch
        {
            foreach (IDisposable file in files)
                file.Dispose();
            throw;
        }
    }
}
