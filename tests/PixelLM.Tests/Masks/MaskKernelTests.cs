using NUnit.Framework;
using PixelLM.Masks;

namespace PixelLM.Tests.Masks;

/// <summary>
/// <see cref="CpuMaskKernels"/> against <see cref="ScalarMaskReference"/> on sizes that are not multiples of any
/// vector width (so every vector loop runs its scalar tail), upsampling and downsampling.
/// </summary>
[TestFixture]
public sealed class MaskKernelTests
{
    private static float[] Random(int count, int seed, float scale = 4f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return values;
    }

    [Test]
    public void Taps_MatchTheSpecOnAKnownCase()
    {
        // [0, 1] resized to 4: sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to the last input).
        var output = new float[4];
        CpuMaskKernels.Instance.Resize([0f, 1f], 1, 2, 1, 4, output, 1, 4);
        Assert.That(output, Is.EqualTo(new[] { 0f, 0.25f, 0.75f, 1f }));
    }

    [TestCase(7, 9, 30, 41, 30, 41)]
    [TestCase(13, 11, 448, 448, 291, 448)]
    [TestCase(37, 29, 17, 23, 17, 5)]
    public void Resize_EqualsTheScalarVersion(int sh, int sw, int height, int width, int rows, int columns)
    {
        float[] source = Random(sh * sw, 1);
        var output = new float[rows * columns];
        CpuMaskKernels.Instance.Resize(source, sh, sw, height, width, output, rows, columns);
        Assert.That(output, Is.EqualTo(ScalarMaskReference.ResizeContiguous(source, sh, sw, height, width, rows, columns)));
    }

    [TestCase(0.5f, 0.5f)]
    [TestCase(0.25f, 0.75f)]
    public void FuseLevels_EqualsTheScalarVersion(float w0, float w1)
    {
        float[] level0 = Random(9 * 9, 2), level1 = Random(19 * 19, 3);
        var fused = new float[19 * 19];
        CpuMaskKernels.Instance.FuseLevels(level0, 9, level1, 19, w0, w1, fused);
        float[] up = ScalarMaskReference.ResizeStrided(level0, 9, 9, 19, 19);
        float[] expected = [.. up.Select((u, i) => u * w0 + level1[i] * w1)];
        Assert.That(fused, Is.EqualTo(expected));
    }

    [TestCase(37, 53, 131, 83, 1)]    // upsampling; 83 = 5·16 + 3 columns
    [TestCase(97, 45, 13, 29, 4)]     // downsampling
    [TestCase(5, 6, 70, 1, 2)]        // one column: the vector loops never run
    [TestCase(20, 20, 20, 20, 3)]     // same size: the identity
    public void ResizeAndThreshold_EqualsTheScalarVersion(int sh, int sw, int height, int width, int threads)
    {
        float[] source = Random(sh * sw, sh * 31 + sw);
        var binary = new byte[height * width];
        var logits = new float[height * width];
        MaskStatistics statistics = CpuMaskKernels.Instance.ResizeAndThreshold(source, sh, sw, height, width, binary, logits, threads);

        float[] expectedLogits = ScalarMaskReference.ResizeStrided(source, sh, sw, height, width);
        var expected = ScalarMaskReference.Threshold(expectedLogits, height, width);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logits, Is.EqualTo(expectedLogits), "the same taps and rounding, so equal to the bit");
            Assert.That(binary, Is.EqualTo(expected.Binary));
            Assert.That(statistics.Area, Is.EqualTo(expected.Area));
            Assert.That(statistics.Box, Is.EqualTo(new MaskBox(expected.Box.X, expected.Box.Y, expected.Box.W, expected.Box.H)));
            // σ in f32 (TensorPrimitives, within a few ulps) summed per row in f32: 1e-6 relative.
            Assert.That(statistics.SigmoidSum, Is.EqualTo(expected.SigmoidSum).Within(1e-6 * Math.Max(1, expected.SigmoidSum)));
        }

        // Without kept logits the mask and the measurements are the same.
        var binaryOnly = new byte[height * width];
        MaskStatistics again = CpuMaskKernels.Instance.ResizeAndThreshold(source, sh, sw, height, width, binaryOnly, Memory<float>.Empty, threads);
        Assert.That((binaryOnly, again), Is.EqualTo((binary, statistics)));
    }

    [Test]
    public void ResizeAndThreshold_EmptyAndFullMasks()
    {
        var binary = new byte[6 * 7];
        MaskStatistics empty = CpuMaskKernels.Instance.ResizeAndThreshold(Enumerable.Repeat(-1f, 4).ToArray(), 2, 2, 6, 7, binary, Memory<float>.Empty, 1);
        Assert.That((empty.Area, empty.Box, empty.Score), Is.EqualTo((0L, default(MaskBox), 0f)));
        MaskStatistics full = CpuMaskKernels.Instance.ResizeAndThreshold(Enumerable.Repeat(2f, 4).ToArray(), 2, 2, 6, 7, binary, Memory<float>.Empty, 1);
        Assert.That((full.Area, full.Box), Is.EqualTo((42L, new MaskBox(0, 0, 7, 6))));
        Assert.That(full.Score, Is.EqualTo(1 / (1 + MathF.Exp(-2))).Within(1e-6));
        Assert.That(binary, Is.All.EqualTo((byte)1));
    }

    [Test]
    public void WrongLengths_AreRejectedWithTheirName()
    {
        var fused = new float[16];
        Assert.That(() => CpuMaskKernels.Instance.FuseLevels(new float[3], 2, new float[16], 4, 0.5f, 0.5f, fused),
            Throws.ArgumentException.With.Message.Contains("level0"));
        Assert.That(() => CpuMaskKernels.Instance.Resize(new float[4], 2, 2, 4, 4, new float[16], 5, 4),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("does not fit"));
        Assert.That(() => CpuMaskKernels.Instance.ResizeAndThreshold(new float[4], 2, 2, 3, 3, new byte[8], Memory<float>.Empty, 1),
            Throws.ArgumentException.With.Message.Contains("binary"));
    }
}
