using System.CommandLine;
using System.Text.Json;
using PixelLM.Evaluation;
using PixelLM.Imaging;
using PixelLM.Segmentation;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm eval --model DIR --data DIR [--json]</c>: runs the model on every question of an evaluation
/// set (<c>pixellm_ref.synth.export</c>'s format) and prints the reasoning-segmentation table the
/// reference's <c>pixellm_ref.eval</c> prints: gIoU and cIoU for single- and multi-target questions
/// (MUSE matching), exact match of the answer, and how often a question without targets got no mask.
/// Greedy answers of at most 128 tokens and the original codebook rule, as the reference evaluates.
/// </summary>
internal static class EvalCommand
{
    internal static Command Create(CliConsole console)
    {
        var location = new ModelLocation();
        var data = new Option<string>("--data") { Description = "Directory of the evaluation set (items.json, images/, masks/).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the metrics as one JSON object." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "The most tokens an answer may have.", DefaultValueFactory = _ => 128 };
        var threads = new Option<int>("--threads") { Description = "Threads to use (0: the physical cores)." };
        var limit = new Option<int>("--limit") { Description = "Evaluate only the first N items (0: all)." };
        var command = new Command("eval", "Score the model on an evaluation set (gIoU, cIoU, exact match).") { data, json, maxNewTokens, threads, limit };
        location.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            (string Llm, string Pixel)? paths = location.Resolve(parse, out string? error);
            if (paths is null)
            {
                console.Error.WriteLine($"error: {error}");
                return Task.FromResult(PixelLmCli.ExitFailure);
            }
            return RunAsync(console, paths.Value.Llm, paths.Value.Pixel, parse.GetRequiredValue(data), parse.GetValue(json),
                parse.GetValue(maxNewTokens), parse.GetValue(threads), parse.GetValue(limit), cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(CliConsole console, string llmPath, string pixelPath, string dataDirectory, bool json,
        int maxNewTokens, int threads, int limit, CancellationToken cancellationToken)
    {
        EvaluationSet set;
        try
        {
            set = EvaluationSet.Open(dataDirectory);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return PixelLmCli.ExitFailure;
        }
        using PixelLmModel model = PixelLmModel.Load(llmPath, pixelPath);
        using PixelLmSession session = model.CreateSession(new PixelLmSessionOptions
        {
            Threads = threads, MaxNewTokens = maxNewTokens, GroupRule = CodebookGroupRule.Original,
        });
        var scores = new SegmentationScores();
        IEnumerable<EvaluationItem> items = limit > 0 ? set.Items.Take(limit) : set.Items;
        foreach (EvaluationItem item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using PixelImage image = PixelImage.Load(item.ImagePath);
            session.Reset();
            SegmentationResult result = await session.SegmentAsync(image, item.Question, cancellationToken);
            int pixels = image.Width * image.Height;
            List<ReadOnlyMemory<byte>> predicted = [.. result.Segments.Select(s => (ReadOnlyMemory<byte>)s.Mask.Data.ToArray())];
            List<ReadOnlyMemory<byte>> truth = [.. item.TargetMaskPaths.Select(p => (ReadOnlyMemory<byte>)EvaluationSet.ReadMask(p, image.Width, image.Height))];
            scores.Add(result.Text, item.Answer, predicted, truth, pixels);
        }
        IReadOnlyDictionary<string, double> table = scores.Table();
        if (json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(table.ToDictionary(kv => kv.Key,
                kv => kv.Key.StartsWith('n') ? (object)(int)kv.Value : kv.Value)));
            return 0;
        }
        await console.Out.WriteLineAsync($"{"",-16}{"gIoU",8}{"cIoU",8}{"n",6}");
        await console.Out.WriteLineAsync($"{"single target",-16}{table["gIoU_single"],8:F3}{table["cIoU_single"],8:F3}{table["n_single"],6}");
        await console.Out.WriteLineAsync($"{"multi target",-16}{table["gIoU_multi"],8:F3}{table["cIoU_multi"],8:F3}{table["n_multi"],6}");
        await console.Out.WriteLineAsync($"{"exact match",-16}{table["exact_match"],8:F3}{"",8}{table["n"],6}");
        await console.Out.WriteLineAsync($"{"no-target ok",-16}{table["empty_accuracy"],8:F3}{"",8}{table["n_empty"],6}");
        return 0;
    }
}
