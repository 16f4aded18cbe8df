namespace PixelLM.Evaluation;

/// <summary>
/// One-to-one matching of predicted and ground-truth masks that maximises the summed IoU (the MUSE
/// evaluation of PixelLM), exactly as the reference's <c>seg_metrics.match</c>: by enumeration up to
/// <see cref="BruteForceLimit"/> masks on the larger side, taking the first best assignment in
/// lexicographic order; greedily by descending IoU beyond.
/// </summary>
public static class MaskMatching
{
    /// <summary>The most masks on either side matched by enumeration.</summary>
    public const int BruteForceLimit = 7;

    /// <summary>The matched pairs (prediction index, ground-truth index).</summary>
    /// <param name="intersections">[predictions, truths] pixels in both.</param>
    /// <param name="unions">[predictions, truths] pixels in either.</param>
    public static IReadOnlyList<(int Prediction, int Truth)> Match(long[,] intersections, long[,] unions)
    {
        ArgumentNullException.ThrowIfNull(intersections);
        ArgumentNullException.ThrowIfNull(unions);
        int p = intersections.GetLength(0), g = intersections.GetLength(1);
        if (unions.GetLength(0) != p || unions.GetLength(1) != g)
            throw new ArgumentException("The intersection and union tables differ in shape.", nameof(unions));
        if (p == 0 || g == 0)
            return [];
        var iou = new double[p, g];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < g; j++)
                iou[i, j] = (double)intersections[i, j] / Math.Max(unions[i, j], 1);
        return Math.Max(p, g) <= BruteForceLimit ? Enumerate(iou, p, g) : Greedy(iou, p, g);
    }

    // Python: max(permutations(range(larger), smaller), key=sum) keeps the first maximum.
    private static List<(int, int)> Enumerate(double[,] iou, int p, int g)
    {
        bool predictionsFewer = p <= g;
        int small = predictionsFewer ? p : g, large = predictionsFewer ? g : p;
        int[]? best = null;
        double bestSum = double.NegativeInfinity;
        foreach (int[] choice in Permutations(large, small))
        {
            double sum = 0;
            for (int s = 0; s < small; s++)
                sum += predictionsFewer ? iou[s, choice[s]] : iou[choice[s], s];
            if (sum > bestSum)
            {
                bestSum = sum;
                best = (int[])choice.Clone();
            }
        }
        var pairs = new List<(int, int)>(small);
        for (int s = 0; s < small; s++)
            pairs.Add(predictionsFewer ? (s, best![s]) : (best![s], s));
        return pairs;
    }

    // itertools.permutations(range(n), r) order: lexicographic in the chosen indices.
    private static IEnumerable<int[]> Permutations(int n, int r)
    {
        var chosen = new int[r];
        var used = new bool[n];
        IEnumerable<int[]> Fill(int depth)
        {
            if (depth == r)
            {
                yield return chosen;
                yield break;
            }
            for (int v = 0; v < n; v++)
            {
                if (used[v])
                    continue;
                used[v] = true;
                chosen[depth] = v;
                foreach (int[] result in Fill(depth + 1))
                    yield return result;
                used[v] = false;
            }
        }
        return Fill(0);
    }

    private static List<(int, int)> Greedy(double[,] iou, int p, int g)
    {
        var order = new List<(double Iou, int Flat)>(p * g);
        for (int i = 0; i < p; i++)
            for (int j = 0; j < g; j++)
                order.Add((iou[i, j], i * g + j));
        // Descending IoU; equal values by position, as a stable sort of -iou would give.
        order.Sort((a, b) => a.Iou != b.Iou ? b.Iou.CompareTo(a.Iou) : a.Flat.CompareTo(b.Flat));
        var pairs = new List<(int, int)>();
        var usedP = new HashSet<int>();
        var usedG = new HashSet<int>();
        foreach ((_, int flat) in order)
        {
            int i = flat / g, j = flat % g;
            if (!usedP.Contains(i) && !usedG.Contains(j))
            {
                pairs.Add((i, j));
                usedP.Add(i);
                usedG.Add(j);
            }
        }
        return pairs;
    }
}
