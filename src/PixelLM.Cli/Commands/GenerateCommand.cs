using System.CommandLine;
using PixelLM.Gguf;
using PixelLM.Llm;
using PixelLM.Tokenization;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm generate --model LLM.gguf --prompt TEXT [options]</c>: text generation with the language
/// model alone, streamed to standard output as it is produced. By default the prompt goes into PixelLM's
/// conversation template (without an image) and decoding is greedy, as in the reference.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>Creates the command, writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var model = new Option<string>("--model") { Description = "The language model's GGUF file (llm.gguf).", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The question or text to continue.", Required = true };
        var raw = new Option<bool>("--raw") { Description = "Continue the prompt as it is (BOS + text) instead of using the conversation template." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "The most tokens to generate.", DefaultValueFactory = _ => 512 };
        var temperature = new Option<float>("--temperature") { Description = "0 (default): greedy; above 0: sampling temperature." };
        var topK = new Option<int>("--top-k") { Description = "Sample among the K most likely tokens (0: all)." };
        var topP = new Option<float>("--top-p") { Description = "Nucleus sampling threshold in (0, 1].", DefaultValueFactory = _ => 1.0f };
        var seed = new Option<int?>("--seed") { Description = "Sampler seed, for reproducible sampling." };
        var threads = new Option<int>("--threads") { Description = "Threads to use (0: the physical cores this process may use)." };
        var command = new Command("generate", "Generate text with the language model, streaming it to standard output.")
        {
            model, prompt, raw, maxNewTokens, temperature, topK, topP, seed, threads,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(console, parseResult.GetRequiredValue(model),
            parseResult.GetRequiredValue(prompt), parseResult.GetValue(raw), new GenerationOptions
            {
                MaxNewTokens = parseResult.GetValue(maxNewTokens),
                Temperature = parseResult.GetValue(temperature),
                TopK = parseResult.GetValue(topK),
                TopP = parseResult.GetValue(topP),
                Seed = parseResult.GetValue(seed),
            }, parseResult.GetValue(threads), cancellationToken));
        return command;
    }

    /// <summary>Generates and streams; returns the exit code.</summary>
    internal static async Task<int> RunAsync(CliConsole console, string modelPath, string prompt, bool raw,
        GenerationOptions options, int threads, CancellationToken cancellationToken)
    {
        if (prompt.Length == 0)
        {
            console.Error.WriteLine("error: --prompt is empty");
            return PixelLmCli.ExitFailure;
        }
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return PixelLmCli.ExitFailure;
        }
        Tokenizer tokenizer;
        using (GgufFile file = GgufFile.Open(modelPath))
            tokenizer = Tokenizer.FromMetadata(file.Metadata);
        int[] ids = raw
            ? [tokenizer.Vocabulary.BosId, .. tokenizer.Encode(prompt)]
            : PixelLmPromptBuilder.BuildTextOnly(tokenizer, prompt);

        using LanguageModel model = LanguageModel.Load(modelPath);
        if (ids.Length >= model.Info.TrainedContextLength)
        {
            console.Error.WriteLine($"error: the prompt is {ids.Length} tokens; the model's context holds {model.Info.TrainedContextLength}");
            return PixelLmCli.ExitFailure;
        }
        using LanguageModelContext context = model.CreateContext(new LanguageModelContextOptions { Threads = threads });
        var generator = new TextGenerator(context, tokenizer);
        await foreach (GeneratedToken token in generator.GenerateAsync(ids, options, cancellationToken))
        {
            await console.Out.WriteAsync(token.Text);
            await console.Out.FlushAsync(cancellationToken);
        }
        await console.Out.WriteLineAsync();
        return 0;
    }
}
