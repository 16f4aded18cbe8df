using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PixelLM.Llm;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm logits --model LLM.gguf --tokens 1,450,4996 [--threads N]</c>: runs the token ids as one
/// sequence and prints the last position's logits as one JSON object <c>{"tokens": [...], "logits": [...]}</c>,
/// for parity checks against other implementations.
/// </summary>
internal static class LogitsCommand
{
    /// <summary>Creates the command, writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var model = new Option<string>("--model")
        {
            Description = "The language model's GGUF file (llm.gguf).",
            Required = true,
        };
        var tokens = new Option<string>("--tokens")
        {
            Description = "Comma-separated token ids, e.g. 1,450,4996.",
            Required = true,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Threads to use (0: the physical cores this process may use).",
        };
        var command = new Command("logits", "Print the last position's logits for a sequence of token ids, as JSON.")
        {
            model,
            tokens,
            threads,
        };
        command.SetAction(parseResult => Run(console, parseResult.GetRequiredValue(model),
            parseResult.GetRequiredValue(tokens), parseResult.GetValue(threads)));
        return command;
    }

    /// <summary>Runs the ids through the model; returns the exit code.</summary>
    internal static int Run(CliConsole console, string modelPath, string tokenList, int threads)
    {
        if (!TryParseIds(tokenList, out int[] ids, out string? problem))
        {
            console.Error.WriteLine($"error: --tokens: {problem}");
            return PixelLmCli.ExitFailure;
        }

        using LanguageModel model = LanguageModel.Load(modelPath);
        using LanguageModelContext context = model.CreateContext(new LanguageModelContextOptions
        {
            Threads = threads,
            ContextLength = Math.Max(ids.Length, 1),
            BatchSize = Math.Max(ids.Length, 1),
        });
        var batch = new DecodeBatch();
        for (int i = 0; i < ids.Length; i++)
            batch.AddToken(ids[i], sequence: 0, position: i, output: i == ids.Length - 1);
        context.Decode(batch);

        var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("tokens");
            foreach (int id in ids)
                writer.WriteNumberValue(id);
            writer.WriteEndArray();
            writer.WriteStartArray("logits");
            foreach (float value in context.GetLogits(0))
                writer.WriteNumberValue(value);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        return 0;
    }

    private static bool TryParseIds(string text, out int[] ids, out string? problem)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        ids = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ids[i]))
            {
                problem = $"'{parts[i]}' (item {i + 1}) is not a token id; give non-negative integers separated by commas";
                return false;
            }
        }
        problem = null;
        return true;
    }
}
