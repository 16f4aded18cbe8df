using NUnit.Framework;

namespace PixelLM.Tests.Parity;

/// <summary>
/// The comparison of one stage's output with the reference: the largest absolute error and the
/// largest error relative to the reference's largest magnitude, printed to the test log so a run
/// shows how close every stage is, not only whether it passed.
/// </summary>
internal sealed class ParityStage(string name)
{
    private double _maxAbs;
    private double _maxRelative;
    private int _compared;

    public double MaxRelative => _maxRelative;

    /// <summary>Adds one comparison: <paramref name="actual"/> against <paramref name="expected"/>.</summary>
    public void Compare(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{name}: output length");
        double scale = 0, worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
        }
        _maxAbs = Math.Max(_maxAbs, worst);
        _maxRelative = Math.Max(_maxRelative, scale > 0 ? worst / scale : worst);
        _compared++;
    }

    /// <summary>Prints the stage's figures and fails when the relative error exceeds <paramref name="tolerance"/>.</summary>
    public void AssertWithin(double tolerance, string why)
    {
        TestContext.Out.WriteLine(
            $"{name}: {_compared} comparisons, max abs error {_maxAbs:G4}, max relative error {_maxRelative:G4} (tolerance {tolerance:G3}: {why})");
        Assert.That(_maxRelative, Is.LessThanOrEqualTo(tolerance), $"{name}: max relative error ({why})");
    }
}
