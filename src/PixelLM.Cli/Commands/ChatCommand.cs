using System.CommandLine;
using System.Text;
using PixelLM.Imaging;
using PixelLM.Segmentation;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm chat --model DIR --image PATH [--out DIR]</c>: a conversation about one image in the terminal.
/// Each line read from standard input is a question; follow-ups continue the conversation (the image
/// features and the KV cache of earlier turns are reused). The answer streams as it is generated and
/// each mask is announced when it is ready; with <c>--out</c>, turn N's masks go to <c>turnN_mask_J.png</c>.
/// <c>/reset</c> starts over; an empty line or the end of input ends the chat.
/// </summary>
internal static class ChatCommand
{
    internal static Command Create(CliConsole console)
    {
        var location = new ModelLocation();
        var image = new Option<string>("--image") { Description = "The image (JPEG or PNG).", Required = true };
        var output = new Option<string?>("--out") { Description = "Directory for each turn's mask PNGs." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "The most tokens an answer may have.", DefaultValueFactory = _ => 512 };
        var threads = new Option<int>("--threads") { Description = "Threads to use (0: the physical cores)." };
        var command = new Command("chat", "Talk about one image: each line is a question; follow-ups keep the conversation.")
        {
            image, output, maxNewTokens, threads,
        };
        location.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            (string Llm, string Pixel)? paths = location.Resolve(parse, out string? error);
            if (paths is null)
            {
                console.Error.WriteLine($"error: {error}");
                return Task.FromResult(PixelLmCli.ExitFailure);
            }
            return RunAsync(console, paths.Value.Llm, paths.Value.Pixel, parse.GetRequiredValue(image), parse.GetValue(output),
                new PixelLmSessionOptions { MaxNewTokens = parse.GetValue(maxNewTokens), Threads = parse.GetValue(threads) }, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(CliConsole console, string llmPath, string pixelPath, string imagePath, string? outputDirectory,
        PixelLmSessionOptions options, CancellationToken cancellationToken)
    {
        using PixelImage image = PixelImage.Load(imagePath);
        using PixelLmModel model = PixelLmModel.Load(llmPath, pixelPath);
        using PixelLmSession session = model.CreateSession(options);
        using var input = new StreamReader(console.Input, new UTF8Encoding(false, throwOnInvalidBytes: true));
        int turn = 0;
        while (true)
        {
            if (console.IsTerminal)
                await console.Out.WriteAsync("> ");
            string? question;
            try
            {
                question = await input.ReadLineAsync(cancellationToken);
            }
            catch (DecoderFallbackException)
            {
                console.Error.WriteLine("error: that line is not valid UTF-8; ask again");
                continue;
            }
            if (string.IsNullOrWhiteSpace(question))
                return 0;
            if (question.Trim() == "/reset")
            {
                session.Reset();
                await console.Out.WriteLineAsync("(conversation reset)");
                continue;
            }
            turn++;
            try
            {
                await foreach (SegmentationEvent e in session.StreamAsync(image, question, cancellationToken))
                {
                    switch (e)
                    {
                        case TextDelta delta:
                            await console.Out.WriteAsync(delta.Text);
                            await console.Out.FlushAsync(cancellationToken);
                            break;
                        case SegmentationCompleted completed:
                            await console.Out.WriteLineAsync();
                            foreach (Segment s in completed.Result.Segments)
                                await console.Out.WriteLineAsync($"  mask {s.Index + 1}: \"{s.Label}\" score {s.Score:F3}, area {s.Area} px");
                            if (outputDirectory is not null && completed.Result.Segments.Count > 0)
                            {
                                Directory.CreateDirectory(outputDirectory);
                                Masks.MaskPng.WriteAll([.. completed.Result.Segments.Select(s => s.Mask)], outputDirectory, $"turn{turn}");
                            }
                            break;
                    }
                }
            }
            catch (PixelLmContextFullException ex)
            {
                console.Error.WriteLine($"error: {ex.Message}");
            }
        }
    }
}
