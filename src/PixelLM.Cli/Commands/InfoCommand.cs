using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PixelLM.Cli.Output;
using PixelLM.Gguf;
using Spectre.Console;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm info FILE.gguf [--json]</c>: describes a GGUF file: its header, metadata and tensors.
/// </summary>
/// <remarks>
/// The default output is for people: a summary, a metadata table with long values shortened, and a
/// tensor table. <c>--json</c> prints exactly one JSON object for programs:
/// <c>{"file": {...}, "metadata": {key: value, ...}, "tensors": [{name, type, shape, bytes, offset}, ...]}</c>,
/// with every array in full and shapes innermost dimension first (GGUF order).
/// </remarks>
internal static class InfoCommand
{
    /// <summary>Creates the command, writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file")
        {
            Description = "The GGUF file to describe.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object (file, metadata, tensors) instead of tables.",
        };

        var command = new Command("info", "Show a GGUF file's header, metadata and tensors.")
        {
            file,
            json,
        };
        command.SetAction(parseResult => Run(console, parseResult.GetRequiredValue(file), parseResult.GetValue(json)));
        return command;
    }

    /// <summary>Describes the file at <paramref name="path"/>; returns the exit code.</summary>
    internal static int Run(CliConsole console, string path, bool json)
    {
        using GgufFile gguf = GgufFile.Open(path);
        if (json)
            WriteJson(console.Out, gguf, path);
        else
            WriteTables(console.Rich, gguf, path);
        return 0;
    }

    private static void WriteTables(IAnsiConsole console, GgufFile gguf, string path)
    {
        var summary = new Grid()
            .AddColumn(new GridColumn().NoWrap().PadRight(2))
            .AddColumn();
        summary.AddRow(Label("file"), new Text(path));
        summary.AddRow(Label("version"), new Text(Number(gguf.Version)));
        summary.AddRow(Label("alignment"), new Text(Number(gguf.Alignment)));
        summary.AddRow(Label("tensors"), new Text(Number(gguf.Tensors.Count)));
        summary.AddRow(Label("metadata"), new Text($"{Number(gguf.Metadata.Count)} keys"));
        summary.AddRow(Label("data offset"), new Text($"{Number(gguf.DataOffset)} bytes"));
        summary.AddRow(Label("file size"), new Text($"{Number(gguf.FileSize)} bytes ({HumanSize(gguf.FileSize)})"));
        console.Write(summary);
        console.WriteLine();

        var metadata = new Table()
            .Title("Metadata")
            .AddColumn("Key")
            .AddColumn("Type")
            .AddColumn("Value");
        foreach ((string key, GgufValue value) in gguf.Metadata)
            metadata.AddRow(new Text(key), new Text(value.TypeName), new Text(GgufValueText.Format(value)));
        console.Write(metadata);
        console.WriteLine();

        var tensors = new Table()
            .Title("Tensors")
            .AddColumn("Name")
            .AddColumn("Type")
            .AddColumn("Shape")
            .AddColumn(new TableColumn("Bytes").RightAligned());
        foreach (GgufTensorInfo tensor in gguf.Tensors)
        {
            tensors.AddRow(
                new Text(tensor.Name),
                new Text(tensor.TypeName),
                new Text(FormatShape(tensor.Shape)),
                new Text(Number(tensor.ByteSize)));
        }

        console.Write(tensors);
    }

    private static void WriteJson(TextWriter output, GgufFile gguf, string path)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions
        {
            Indented = true,
            // Token vocabularies are full of non-ASCII text; keep it readable. The output is never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            writer.WriteStartObject();

            writer.WriteStartObject("file");
            writer.WriteString("path", path);
            writer.WriteNumber("version", gguf.Version);
            writer.WriteNumber("alignment", gguf.Alignment);
            writer.WriteNumber("data_offset", gguf.DataOffset);
            writer.WriteNumber("size", gguf.FileSize);
            writer.WriteNumber("metadata_count", gguf.Metadata.Count);
            writer.WriteNumber("tensor_count", gguf.Tensors.Count);
            writer.WriteEndObject();

            writer.WriteStartObject("metadata");
            foreach ((string key, GgufValue value) in gguf.Metadata)
            {
                writer.WritePropertyName(key);
                GgufJson.WriteValue(writer, value);
            }

            writer.WriteEndObject();

            writer.WriteStartArray("tensors");
            foreach (GgufTensorInfo tensor in gguf.Tensors)
            {
                writer.WriteStartObject();
                writer.WriteString("name", tensor.Name);
                writer.WriteString("type", tensor.TypeName);
                writer.WriteStartArray("shape");
                foreach (long dimension in tensor.Shape)
                    writer.WriteNumberValue(dimension);
                writer.WriteEndArray();
                writer.WriteNumber("bytes", tensor.ByteSize);
                writer.WriteNumber("offset", tensor.FileOffset);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();

            writer.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Flush();
    }

    private static Text Label(string text) => new(text, new Style(decoration: Decoration.Dim));

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string FormatShape(IReadOnlyList<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string HumanSize(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double size = bytes;
        int unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{size:0.##} {units[unit]}");
    }
}
