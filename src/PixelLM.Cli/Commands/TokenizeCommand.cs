using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PixelLM.Gguf;
using PixelLM.Tokenization;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm tokenize --model LLM.gguf [--json-lines] [--decode]</c>: the model's tokenizer as a filter.
/// </summary>
/// <remarks>
/// Encoding reads one text per line of standard input (UTF-8; a line ends with <c>\n</c> or
/// <c>\r\n</c>) and prints its ids without BOS, space-separated, one line per input line; the text
/// is plain text, so a typed <c>[SEG0]</c> stays characters. With <c>--json-lines</c> each line is a
/// JSON string literal, so texts may hold newlines. <c>--decode</c> reads space-separated ids per line
/// and prints each decoding as a JSON string. Each line is answered (and flushed) as soon as it is
/// read, so the command can serve another process over a pipe. The first bad line stops it with
/// <c>error: line N: …</c> and exit code 1.
/// </remarks>
internal static class TokenizeCommand
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonSerializerOptions JsonOutput = new()
    {
        // Decoded text is mostly non-ASCII in some languages; keep it readable. Never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Creates the command, reading from and writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var model = new Option<string>("--model")
        {
            Description = "The language-model GGUF file whose tokenizer.ggml.* vocabulary to use.",
            Required = true,
        };
        var jsonLines = new Option<bool>("--json-lines")
        {
            Description = "Each input line is a JSON string literal (texts may then hold newlines).",
        };
        var decode = new Option<bool>("--decode")
        {
            Description = "Read space-separated token ids per line and print each decoding as a JSON string.",
        };

        var command = new Command("tokenize", "Encode text to token ids, or decode ids to text, one line at a time from standard input.")
        {
            model,
            jsonLines,
            decode,
        };
        command.SetAction(parseResult => Run(
            console, parseResult.GetRequiredValue(model), parseResult.GetValue(jsonLines), parseResult.GetValue(decode)));
        return command;
    }

    /// <summary>Runs the filter over <see cref="CliConsole.Input"/>; returns the exit code.</summary>
    internal static int Run(CliConsole console, string modelPath, bool jsonLines, bool decode)
    {
        if (jsonLines && decode)
        {
            console.Error.WriteLine("error: --json-lines is for encoding; --decode always reads ids and writes JSON strings");
            return PixelLmCli.ExitFailure;
        }

        Tokenizer tokenizer;
        using (GgufFile file = GgufFile.Open(modelPath))
            tokenizer = Tokenizer.FromMetadata(file.Metadata);

        int lineNumber = 0;
        foreach (byte[] line in ReadLines(console.Input))
        {
            lineNumber++;
            (string? output, string? error) = decode ? DecodeLine(tokenizer, line) : EncodeLine(tokenizer, line, jsonLines);
            if (error is not null)
            {
                console.Error.WriteLine($"error: line {lineNumber.ToString(CultureInfo.InvariantCulture)}: {error}");
                return PixelLmCli.ExitFailure;
            }

            console.Out.WriteLine(output);
            console.Out.Flush();
        }

        return 0;
    }

    private static (string? Output, string? Error) EncodeLine(Tokenizer tokenizer, byte[] line, bool jsonLines)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException e)
        {
            return (null, $"invalid UTF-8 at byte {e.Index.ToString(CultureInfo.InvariantCulture)}");
        }

        if (jsonLines)
        {
            try
            {
                text = JsonSerializer.Deserialize<string>(text)
                    ?? throw new JsonException("null is not a string");
            }
            catch (JsonException e)
            {
                return (null, $"not a JSON string literal: {e.Message}");
            }
        }

        return (string.Join(' ', tokenizer.Encode(text)), null);
    }

    private static (string? Output, string? Error) DecodeLine(Tokenizer tokenizer, byte[] line)
    {
        string text = Encoding.ASCII.GetString(line);
        string[] fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var ids = new int[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            if (!int.TryParse(fields[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out ids[i]))
                return (null, $"'{fields[i]}' is not a token id");
            if (ids[i] < 0 || ids[i] >= tokenizer.Vocabulary.Count)
                return (null, $"token id {fields[i]} is outside the vocabulary of {tokenizer.Vocabulary.Count.ToString(CultureInfo.InvariantCulture)} ids");
        }

        return (JsonSerializer.Serialize(tokenizer.Decode(ids), JsonOutput), null);
    }

    /// <summary>Splits <paramref name="input"/> at <c>\n</c> (dropping a <c>\r</c> before it), yielding each line as it arrives.</summary>
    private static IEnumerable<byte[]> ReadLines(Stream input)
    {
        var line = new List<byte>();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    line.Add(buffer[i]);
                    continue;
                }

                if (line.Count > 0 && line[^1] == (byte)'\r')
                    line.RemoveAt(line.Count - 1);
                yield return [.. line];
                line.Clear();
            }
        }

        if (line.Count > 0)
            yield return [.. line];
    }
}
