using NUnit.Framework;
using PixelLM.Masks;
using PixelLM.Tests.Parity;

namespace PixelLM.Tests.Masks;

/// <summary>
/// The mask stage against the live reference (spec §8.5, §9): the reference's own decoder outputs
/// (decoder.level0.masks, decoder.level1.masks) go into <see cref="MaskPostprocessor"/>, and its fused
/// low-resolution logits, full-size logits, binary masks and scores come out for comparison. The input is
/// the reference's, so the f32, q8_0 and q4_0 fixtures differ only in the values they carry.
/// </summary>
[TestFixture]
public sealed class MaskParityTests
{
    [TestCase("tiny-forced-f32")]
    [TestCase("tiny-forced-q8_0")]
    [TestCase("tiny-forced-q4_0")]
    public void MatchesTheReference(string fixtureName)
    {
        using ReferenceFixture fixture = ReferenceFixture.Load(fixtureName);
        (float[] level0, IReadOnlyList<long> shape0) = fixture.Tensor("decoder.level0.masks");   // [N,1,64,64]
        (float[] level1, IReadOnlyList<long> shape1) = fixture.Tensor("decoder.level1.masks");   // [N,1,128,128]
        (float[] fusedExpected, _) = fixture.Tensor("masks.fused_lowres");                       // [N,1,128,128]
        (float[] logitsExpected, IReadOnlyList<long> logitsShape) = fixture.Tensor("masks.logits"); // [N,H,W]
        (float[] scoresExpected, _) = fixture.Tensor("masks.scores");                             // [N]
        byte[] binaryExpected = FixtureBytes.Read(fixture.Directory, "masks.binary");             // [N,H,W]
        int count = (int)shape0[0], side0 = (int)shape0[2], side1 = (int)shape1[2];
        int height = (int)logitsShape[1], width = (int)logitsShape[2];
        Assert.That(count, Is.GreaterThan(0), "the forced fixtures carry masks");
        (int inputHeight, int inputWidth) = fixture.InputSize;

        // §8.5 on its own: the same rounding as the reference, so equal to the bit.
        var fused = new float[side1 * side1];
        for (int n = 0; n < count; n++)
        {
            CpuMaskKernels.Instance.FuseLevels(level0.AsSpan(n * side0 * side0, side0 * side0), side0,
                level1.AsSpan(n * side1 * side1, side1 * side1), side1, 0.5f, 0.5f, fused);
            Assert.That(fused, Is.EqualTo(fusedExpected.AsSpan(n * fused.Length, fused.Length).ToArray()),
                $"fused low-resolution logits of mask {n}");
        }

        var processor = new MaskPostprocessor();
        IReadOnlyList<Mask> masks = processor.Process(level0, side0, level1, side1,
            new MaskGeometry(inputHeight, inputWidth, height, width), new MaskPostprocessOptions { KeepLogits = true });
        Assert.That(masks, Has.Count.EqualTo(count));
        int plane = height * width;
        var logits = new ParityStage($"{fixtureName} masks.logits");
        for (int n = 0; n < count; n++)
        {
            Mask mask = masks[n];
            ReadOnlySpan<float> expected = logitsExpected.AsSpan(n * plane, plane);
            logits.Compare(mask.Logits, expected);
            double iou = Iou(mask.Data, binaryExpected.AsSpan(n * plane, plane));
            TestContext.Out.WriteLine($"mask {n}: IoU {iou:F6}, area {mask.Area}, score {mask.Score:G9} (reference {scoresExpected[n]:G9}), box {mask.Box}");
            using (Assert.EnterMultipleScope())
            {
                Assert.That((mask.Width, mask.Height), Is.EqualTo((width, height)));
                Assert.That(iou, Is.GreaterThanOrEqualTo(0.999), $"IoU of mask {n} (the issue's bound)");
                // The score is a mean of sigmoids in [0.5, 1]; the reference sums ~10^4 of them in f32 (a
                // vectorised tree), we in f32 per row then in double: 1e-5 covers both summation orders.
                Assert.That(mask.Score, Is.EqualTo(scoresExpected[n]).Within(1e-5), $"score of mask {n}");
                Assert.That(mask.Area, Is.EqualTo(CountOn(binaryExpected.AsSpan(n * plane, plane))), $"area of mask {n}");
                Assert.That(mask.Box, Is.EqualTo(BoxOf(binaryExpected.AsSpan(n * plane, plane), width, height)), $"box of mask {n}");
            }
        }
        // The taps, weights and rounding of both resizes are PyTorch's own (BilinearAxis, IMaskKernels), so on
        // the machine that wrote the fixture the logits are equal to the bit; 1e-6 of the largest logit leaves
        // room for a reference whose kernels round one ulp differently (another torch build or ISA).
        logits.AssertWithin(1e-6, "same taps, weights and rounding order as the reference's kernels");
    }

    private static double Iou(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected)
    {
        long both = 0, either = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            bool a = actual[i] != 0, e = expected[i] != 0;
            both += a && e ? 1 : 0;
            either += a || e ? 1 : 0;
        }
        return either == 0 ? 1.0 : (double)both / either;
    }

    private static long CountOn(ReadOnlySpan<byte> mask)
    {
        long on = 0;
        foreach (byte b in mask)
            on += b != 0 ? 1 : 0;
        return on;
    }

    private static MaskBox BoxOf(ReadOnlySpan<byte> mask, int width, int height)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (mask[y * width + x] == 0)
                    continue;
                minX = Math.Min(minX, x);
                maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y);
                maxY = Math.Max(maxY, y);
            }
        }
        return maxX < 0 ? default : new MaskBox(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }
}
