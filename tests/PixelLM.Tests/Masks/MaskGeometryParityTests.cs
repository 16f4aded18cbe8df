using NUnit.Framework;
using PixelLM.Masks;
using PixelLM.Tests.Parity;

namespace PixelLM.Tests.Masks;

/// <summary>
/// The mask stage against the live reference (<c>pixellm_ref.mask_oracle</c>) over geometries the fixtures do
/// not carry: portrait and landscape, up- and downsampling, one target and several. PyTorch picks its bilinear
/// kernel by memory layout: a strided input (the decoder's <c>masks[:, 0:1]</c> for N &gt; 1, the crop unless
/// w' = 448 and N = 1 or the image is square) takes the kernel whose rounding <see cref="CpuMaskKernels"/>
/// reproduces, so those cases are equal to the bit; the others take torch's contiguous kernel, which adds the
/// four taps in another order (in double), and differ by an f32 rounding or two.
/// </summary>
[TestFixture]
public sealed class MaskGeometryParityTests
{
    [TestCase(3, 336, 448, 301, 401, true)]     // landscape, upsampling, N > 1: strided everywhere
    [TestCase(2, 448, 270, 500, 301, true)]     // portrait
    [TestCase(2, 280, 448, 60, 96, true)]       // downsampling
    [TestCase(1, 336, 448, 301, 401, false)]    // one target: torch's contiguous kernels for level 0 and the crop
    [TestCase(2, 448, 448, 333, 333, false)]    // square: the crop is contiguous
    public void MatchesTheReference(int count, int inputHeight, int inputWidth, int height, int width, bool bitExact)
    {
        var random = new Random(count * 1000 + height);
        float[] level0 = [.. Enumerable.Range(0, count * 64 * 64).Select(_ => (float)(random.NextDouble() * 16 - 8))];
        float[] level1 = [.. Enumerable.Range(0, count * 128 * 128).Select(_ => (float)(random.NextDouble() * 16 - 8))];
        (float[] expectedLogits, float[] expectedScores) =
            ReferenceMaskOracle.Run(level0, level1, count, (inputHeight, inputWidth), (height, width));

        IReadOnlyList<Mask> masks = new MaskPostprocessor().Process(level0, 64, level1, 128,
            new MaskGeometry(inputHeight, inputWidth, height, width), new MaskPostprocessOptions { KeepLogits = true });
        var logits = new ParityStage($"masks.logits N={count} ({inputHeight}, {inputWidth}) -> ({height}, {width})");
        int plane = height * width;
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<float> expected = expectedLogits.AsSpan(n * plane, plane);
            logits.Compare(masks[n].Logits, expected);
            long both = 0, either = 0;
            for (int i = 0; i < plane; i++)
            {
                bool a = masks[n].Data[i] != 0, e = expected[i] > 0;
                both += a && e ? 1 : 0;
                either += a || e ? 1 : 0;
            }
            double iou = either == 0 ? 1 : (double)both / either;
            TestContext.Out.WriteLine($"mask {n}: IoU {iou:F6}, score {masks[n].Score:G9} (reference {expectedScores[n]:G9})");
            Assert.That(iou, Is.GreaterThanOrEqualTo(0.999), $"IoU of mask {n}");
            Assert.That(masks[n].Score, Is.EqualTo(expectedScores[n]).Within(1e-5), $"score of mask {n} (f32 sums in another order)");
        }
        if (bitExact)
            logits.AssertWithin(0, "torch's strided kernel, whose taps, weights and rounding the engine reproduces");
        else
            logits.AssertWithin(1e-6, "torch's contiguous kernel sums the four taps in double in another order: an f32 rounding or two");
    }
}
