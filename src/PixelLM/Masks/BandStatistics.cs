namespace PixelLM.Masks;

/// <summary>
/// The §9.2 measurements of one band of rows, summed band by band in a fixed order so the result does
/// not depend on which thread ran which band.
/// </summary>
internal struct BandStatistics()
{
    public long Area;
    public double SigmoidSum;
    public int MinX = int.MaxValue;
    public int MaxX = -1;
    public int MinY = int.MaxValue;
    public int MaxY = -1;

    /// <summary>Adds one row that has <paramref name="count"/> pixels between <paramref name="first"/> and <paramref name="last"/>.</summary>
    public void Add(int y, int first, int last, long count, float sigmoidSum)
    {
        Area += count;
        SigmoidSum += sigmoidSum;
        MinX = Math.Min(MinX, first);
        MaxX = Math.Max(MaxX, last);
        MinY = Math.Min(MinY, y);
        MaxY = Math.Max(MaxY, y);
    }

    /// <summary>Adds another band.</summary>
    public void Add(in BandStatistics band)
    {
        Area += band.Area;
        SigmoidSum += band.SigmoidSum;
        MinX = Math.Min(MinX, band.MinX);
        MaxX = Math.Max(MaxX, band.MaxX);
        MinY = Math.Min(MinY, band.MinY);
        MaxY = Math.Max(MaxY, band.MaxY);
    }

    /// <summary>The totals as the public record.</summary>
    public readonly MaskStatistics ToStatistics() =>
        Area == 0
            ? new MaskStatistics(0, 0, default)
            : new MaskStatistics(Area, SigmoidSum, new MaskBox(MinX, MinY, MaxX - MinX + 1, MaxY - MinY + 1));
}
