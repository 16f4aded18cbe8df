using System.CommandLine;
using PixelLM.Segmentation;
using PixelLM.Cli.Output;
using PixelLM.Imaging;
using PixelLM.Masks;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm segment --model DIR --image PATH --prompt TEXT [--out DIR] [--json]</c>: the product in one
/// command. Answers the question about the image and writes one PNG per mask, an overlay of all masks
/// on the image and <c>result.json</c> (text, segments with label, score, box, area and COCO RLE,
/// timings) into <c>--out</c>; <c>--json</c> prints the same JSON to standard output. On a terminal the
/// answer streams as it is generated and each mask is announced when it is ready; piped, only the
/// final lines are written.
/// </summary>
internal static class SegmentCommand
{
    internal static Command Create(CliConsole console)
    {
        var location = new ModelLocation();
        var image = new Option<string>("--image") { Description = "The image (JPEG or PNG).", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The question about the image.", Required = true };
        var output = new Option<string?>("--out") { Description = "Directory for the mask PNGs, overlay.png and result.json (created)." };
        var json = new Option<bool>("--json") { Description = "Print result.json to standard output instead of the answer." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "The most tokens the answer may have.", DefaultValueFactory = _ => 512 };
        var threads = new Option<int>("--threads") { Description = "Threads to use (0: the physical cores)." };
        var command = new Command("segment", "Answer a question about an image, with a mask for every object the answer names.")
        {
            image, prompt, output, json, maxNewTokens, threads,
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
            var options = new PixelLmSessionOptions
            {
                MaxNewTokens = parse.GetValue(maxNewTokens),
                Threads = parse.GetValue(threads),
            };
            return RunAsync(console, paths.Value.Llm, paths.Value.Pixel, parse.GetRequiredValue(image), parse.GetRequiredValue(prompt),
                parse.GetValue(output), parse.GetValue(json), options, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(CliConsole console, string llmPath, string pixelPath, string imagePath, string prompt,
        string? outputDirectory, bool json, PixelLmSessionOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(prompt))
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

        using PixelImage image = PixelImage.Load(imagePath);
        using PixelLmModel model = PixelLmModel.Load(llmPath, pixelPath);
        using PixelLmSession session = model.CreateSession(options);
        bool live = !json && console.IsTerminal;
        SegmentationResult? result = null;
        await foreach (SegmentationEvent e in session.StreamAsync(image, prompt, cancellationToken))
        {
            switch (e)
            {
                case TextDelta delta when live:
                    await console.Out.WriteAsync(delta.Text);
                    await console.Out.FlushAsync(cancellationToken);
                    break;
                case SegmentReady ready when live:
                    console.Error.WriteLine($"  [mask {ready.Segment.Index + 1}: {ready.Segment.Label}]");
                    break;
                case SegmentationCompleted completed:
                    result = completed.Result;
                    break;
            }
        }
        if (result is null)
            throw new InvalidOperationException("The answer ended without a result.");
        if (live)
            await console.Out.WriteLineAsync();

        IReadOnlyList<string>? maskFiles = null;
        string? overlayFile = null;
        if (outputDirectory is not null)
        {
            Directory.CreateDirectory(outputDirectory);
            List<Mask> masks = [.. result.Segments.Select(s => s.Mask)];
            maskFiles = [.. MaskPng.WriteAll(masks, outputDirectory, "mask").Select(Path.GetFileName)!];
            overlayFile = "overlay.png";
            byte[] overlay = MaskOverlay.Render(image.Pixels, image.Width, image.Height, masks);
            await File.WriteAllBytesAsync(Path.Combine(outputDirectory, overlayFile), RgbPng.Encode(overlay, image.Width, image.Height), cancellationToken);
        }
        string document = SegmentationJson.Write(result, image.Width, image.Height, maskFiles, overlayFile);
        if (outputDirectory is not null)
            await File.WriteAllTextAsync(Path.Combine(outputDirectory, "result.json"), document, cancellationToken);

        if (json)
        {
            await console.Out.WriteLineAsync(document);
            return 0;
        }
        if (!live)
            await console.Out.WriteLineAsync(result.Text);
        foreach (Segment s in result.Segments)
            await console.Out.WriteLineAsync($"mask {s.Index + 1}: \"{s.Label}\" score {s.Score:F3}, area {s.Area} px, box [{s.Box.X}, {s.Box.Y}, {s.Box.Width}, {s.Box.Height}]" +
                (maskFiles is not null ? $" -> {Path.Combine(outputDirectory!, maskFiles[s.Index])}" : ""));
        if (result.Segments.Count == 0)
            await console.Out.WriteLineAsync("no masks");
        if (result.IncompleteCodebookTokens > 0)
            await console.Out.WriteLineAsync($"note: the answer ended inside a group of codebook tokens ({result.IncompleteCodebookTokens} of {model.PixelModel.Info.SegTokenIds.Count}); that object has no mask");
        if (overlayFile is not null)
            await console.Out.WriteLineAsync($"overlay: {Path.Combine(outputDirectory!, overlayFile)}");
        SegmentationTimings t = result.Timings;
        await console.Out.WriteLineAsync($"time: {t.Total.TotalSeconds:F2} s (vision {t.Vision.TotalSeconds:F2}, prefill {t.Prefill.TotalSeconds:F2}, " +
            $"generation {t.Generation.TotalSeconds:F2} for {t.GeneratedTokens} tokens, masks {(t.PixelDecoder + t.Postprocess).TotalSeconds:F2})");
        return 0;
    }
}
