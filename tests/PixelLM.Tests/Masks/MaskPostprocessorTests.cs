using NUnit.Framework;
using PixelLM.Masks;

namespace PixelLM.Tests.Masks;

/// <summary><see cref="MaskPostprocessor"/>'s handling of its inputs; the numerics are in the parity and kernel tests.</summary>
[TestFixture]
public sealed class MaskPostprocessorTests
{
    private static readonly MaskGeometry Geometry = new(6, 8, 30, 40);

    [Test]
    public void NoTargets_NoMasks() =>
        Assert.That(new MaskPostprocessor().Process([], 4, [], 8, Geometry), Is.Empty);

    [Test]
    public void Masks_HaveTheOriginalSize_AndLogitsOnlyWhenAsked()
    {
        float[] level0 = [.. Enumerable.Range(0, 2 * 16).Select(i => MathF.Sin(i))];
        float[] level1 = [.. Enumerable.Range(0, 2 * 64).Select(i => MathF.Cos(i))];
        IReadOnlyList<Mask> masks = new MaskPostprocessor().Process(level0, 4, level1, 8, Geometry);
        Assert.That(masks, Has.Count.EqualTo(2));
        Assert.That(masks.Select(m => (m.Width, m.Height, m.Data.Length, m.HasLogits)), Is.All.EqualTo((40, 30, 1200, false)));
        Mask kept = new MaskPostprocessor().Process(level0, 4, level1, 8, Geometry, new MaskPostprocessOptions { KeepLogits = true })[1];
        Assert.That(kept.Logits.Length, Is.EqualTo(1200));
        Assert.That(kept.Data.ToArray(), Is.EqualTo(masks[1].Data.ToArray()));
    }

    [Test]
    public void InconsistentInputs_AreRejectedWithTheReason()
    {
        var processor = new MaskPostprocessor();
        Assert.That(() => processor.Process(new float[17], 4, new float[64], 8, Geometry),
            Throws.ArgumentException.With.Message.Contains("whole number"));
        Assert.That(() => processor.Process(new float[32], 4, new float[64], 8, Geometry),
            Throws.ArgumentException.With.Message.Contains("2 targets"));
        Assert.That(() => processor.Process(new float[16], 4, new float[64], 8, new MaskGeometry(6, 8, 0, 40)),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("original size"));
        Assert.That(() => processor.Process(new float[16], 0, new float[64], 8, Geometry),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
