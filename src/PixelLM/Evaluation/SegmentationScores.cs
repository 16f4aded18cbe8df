namespace PixelLM.Evaluation;

/// <summary>
/// Accumulates questions and reports the reasoning-segmentation metrics exactly as the reference's
/// <c>seg_metrics.Scores</c>: gIoU (mean of per-question IoU) and cIoU (cumulative intersection over
/// cumulative union) for single-target and multi-target questions, a question's IoU after MUSE matching
/// (unmatched predictions and truths add their area to the union), exact match of the normalised answer,
/// and for questions without targets the share answered without a mask.
/// </summary>
public sealed class SegmentationScores
{
    private readonly List<(long Intersection, long Union)> _single = [];
    private readonly List<(long Intersection, long Union)> _multi = [];
    private int _exact;
    private int _empty;
    private int _emptyCorrect;

    /// <summary>Questions added.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Adds one question. Masks are row-major 0/1 bytes of one common size (<paramref name="pixels"/> each).
    /// </summary>
    /// <returns>The question's IoU, or null for a question without targets.</returns>
    public double? Add(string predictedAnswer, string expectedAnswer, IReadOnlyList<ReadOnlyMemory<byte>> predicted,
        IReadOnlyList<ReadOnlyMemory<byte>> truth, int pixels)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        foreach (ReadOnlyMemory<byte> mask in predicted.Concat(truth))
        {
            if (mask.Length != pixels)
                throw new ArgumentException($"A mask has {mask.Length} pixels; expected {pixels}.");
        }
        Count++;
        if (AnswerText.Normalize(predictedAnswer) == AnswerText.Normalize(expectedAnswer))
            _exact++;
        if (truth.Count == 0)
        {
            _empty++;
            if (predicted.Count == 0)
                _emptyCorrect++;
            return null;
        }
        (long intersection, long union) = QuestionIou(predicted, truth);
        (truth.Count == 1 ? _single : _multi).Add((intersection, union));
        return (double)intersection / Math.Max(union, 1);
    }

    /// <summary>The metrics, under the keys the reference's <c>eval.py --json</c> prints.</summary>
    public IReadOnlyDictionary<string, double> Table()
    {
        var table = new Dictionary<string, double>
        {
            ["n"] = Count,
            ["exact_match"] = (double)_exact / Math.Max(Count, 1),
            ["n_empty"] = _empty,
            ["empty_accuracy"] = (double)_emptyCorrect / Math.Max(_empty, 1),
        };
        foreach ((string name, List<(long Intersection, long Union)> ius) in new[] { ("single", _single), ("multi", _multi) })
        {
            table[$"n_{name}"] = ius.Count;
            table[$"gIoU_{name}"] = ius.Count > 0 ? ius.Average(iu => (double)iu.Intersection / Math.Max(iu.Union, 1)) : 0.0;
            table[$"cIoU_{name}"] = (double)ius.Sum(iu => iu.Intersection) / Math.Max(1, ius.Sum(iu => iu.Union));
        }
        return table;
    }

    private static (long Intersection, long Union) QuestionIou(IReadOnlyList<ReadOnlyMemory<byte>> predicted,
        IReadOnlyList<ReadOnlyMemory<byte>> truth)
    {
        int p = predicted.Count, g = truth.Count;
        var intersections = new long[p, g];
        var unions = new long[p, g];
        long[] predictedArea = predicted.Select(m => Area(m.Span)).ToArray();
        long[] truthArea = truth.Select(m => Area(m.Span)).ToArray();
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < g; j++)
            {
                long both = Both(predicted[i].Span, truth[j].Span);
                intersections[i, j] = both;
                unions[i, j] = predictedArea[i] + truthArea[j] - both;
            }
        }
        IReadOnlyList<(int Prediction, int Truth)> pairs = MaskMatching.Match(intersections, unions);
        long intersection = 0, union = 0;
        foreach ((int i, int j) in pairs)
        {
            intersection += intersections[i, j];
            union += unions[i, j];
        }
        var matchedP = pairs.Select(x => x.Prediction).ToHashSet();
        var matchedG = pairs.Select(x => x.Truth).ToHashSet();
        for (int i = 0; i < p; i++)
            if (!matchedP.Contains(i))
                union += predictedArea[i];
        for (int j = 0; j < g; j++)
            if (!matchedG.Contains(j))
                union += truthArea[j];
        return (intersection, union);
    }

    private static long Area(ReadOnlySpan<byte> mask) => mask.Length - mask.Count((byte)0);

    private static long Both(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long count = 0;
        for (int k = 0; k < a.Length; k++)
            count += (a[k] != 0 && b[k] != 0) ? 1 : 0;
        return count;
    }
}
