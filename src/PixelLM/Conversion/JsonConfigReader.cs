using System.Text.Json;

namespace PixelLM.Conversion;

/// <summary>Typed access to a <c>config.json</c> object whose every error names the file and the key.</summary>
internal sealed class JsonConfigReader
{
    private readonly JsonElement _root;

    internal JsonConfigReader(JsonElement root, string where)
    {
        _root = root;
        Where = where;
    }

    /// <summary>The file (and sub-object) for messages.</summary>
    internal string Where { get; }

    /// <summary>Parses <paramref name="path"/>; a missing or malformed file is an error naming it.</summary>
    internal static JsonDocument ParseFile(string path)
    {
        if (!File.Exists(path))
            throw ConversionErrors.Io($"{path}: missing file");
        try
        {
            JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return document;
            document.Dispose();
            throw ConversionErrors.Format($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw ConversionErrors.Format($"{path}: not valid JSON: {e.Message}");
        }
    }

    /// <summary>The sub-object <paramref name="key"/>, or null when absent.</summary>
    internal JsonConfigReader? Object(string key) =>
        _root.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.Object
            ? new JsonConfigReader(value, $"{Where} ({key})")
            : null;

    /// <summary>A positive integer; <paramref name="fallback"/> when absent, an error when absent without one.</summary>
    internal int PositiveInt(string key, int? fallback = null) =>
        Int(key, fallback) is var v and > 0 ? v : throw Invalid(key, "must be a positive integer");

    /// <summary>An integer; <paramref name="fallback"/> when absent, an error when absent without one.</summary>
    internal int Int(string key, int? fallback = null)
    {
        if (!_root.TryGetProperty(key, out JsonElement value))
            return fallback ?? throw Missing(key);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : throw Invalid(key, "must be an integer");
    }

    /// <summary>A number; <paramref name="fallback"/> when absent, an error when absent without one.</summary>
    internal double Number(string key, double? fallback = null)
    {
        if (!_root.TryGetProperty(key, out JsonElement value))
            return fallback ?? throw Missing(key);
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Invalid(key, "must be a number");
    }

    /// <summary>A string; <paramref name="fallback"/> when absent, an error when absent without one.</summary>
    internal string String(string key, string? fallback = null)
    {
        if (!_root.TryGetProperty(key, out JsonElement value))
            return fallback ?? throw Missing(key);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(key, "must be a string");
    }

    /// <summary>An error naming <paramref name="key"/>.</summary>
    internal PixelLmFormatException Invalid(string key, string message) =>
        ConversionErrors.Format($"{Where}: key '{key}' {message}");

    private PixelLmFormatException Missing(string key) => ConversionErrors.Format($"{Where}: missing key '{key}'");
}
