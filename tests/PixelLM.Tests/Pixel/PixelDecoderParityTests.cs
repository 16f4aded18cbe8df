using NUnit.Framework;
using PixelLM.Pixel;
using PixelLM.Tests.Parity;

namespace PixelLM.Tests.Pixel;

/// <summary>
/// The pixel decoder against the PyTorch reference on the tiny PixelLM's teacher-forced fixtures (two
/// targets): the neck from the fixture's mask features (spec §7.3), then, from the fixture's neck output
/// and codebook hidden states, the codebook MLP and fusion (§6.4, §7.1), both image PEs (§7.2, §8.4) and
/// every stage of both decoder levels (§8.3, §8.4). The engine's tensors are channels-last; the fixture's
/// image tensors [N, C, h, w] are transposed before comparing.
/// </summary>
[TestFixture]
public sealed class PixelDecoderParityTests
{
    // Errors are relative to the largest reference value of the tensor (ParityStage).
    // f32 pair: its pixel file keeps the reference's f32 weights, so both sides compute the same f32
    //   function and only summation order differs. Measured at most 2e-6 (masks, after two transformers);
    //   1e-5 leaves room for other ISAs and thread counts.
    // The image PEs: the phase 2 pi (u g0 + v g1) is rounded to f32 on both sides, possibly in another
    //   order (torch's matmul may fuse), which moves sin / cos by up to ulp(|phi|) ~ 2e-6 for |phi| < 32;
    //   measured 3.8e-6, bound 1e-5 (the manifest's hint).
    // q8_0 / q4_0 pairs: only the language model is quantized, but their pixel files hold F16 matrices
    //   (the release layout) while the reference multiplies the unrounded f32 weights: every weight is off
    //   by up to 2^-12 relative, which no summation order removes. Measured 3.5e-4 after one layer (neck,
    //   codebook MLP) and up to 1.6e-3 after both transformers (IoU); the bound 5e-3 is still two orders
    //   below what a wrong layout or index causes (errors of the whole range).
    private static readonly Dictionary<string, (double Tolerance, string Why)> Bounds = new()
    {
        ["f32"] = (1e-5, "f32 weights and f32 compute on both sides, summation order only"),
        ["q8_0"] = (5e-3, "F16 pixel weights in the engine, f32 in the reference"),
        ["q4_0"] = (5e-3, "F16 pixel weights in the engine, f32 in the reference"),
    };

    private const double PeTolerance = 1e-5;

    private static (PixelModel Model, ReferenceFixture Fixture) Open(string type) =>
        (PixelModel.Load(TestData.Require("gguf", $"tiny-{type}", "pixel.gguf")), ReferenceFixture.Load($"tiny-forced-{type}"));

    // [n][c][h][w] (the reference's image layout) -> [n][h * w][c] (the engine's).
    internal static float[] ChannelsLast(float[] values, IReadOnlyList<long> shape)
    {
        int n = (int)shape[0], c = (int)shape[1], hw = (int)(shape[2] * shape[3]);
        var result = new float[values.Length];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < hw; p++)
                    result[((i * hw) + p) * c + ch] = values[((i * c) + ch) * hw + p];
        return result;
    }

    private static float[] FixtureChannelsLast(ReferenceFixture fixture, string name)
    {
        (float[] values, IReadOnlyList<long> shape) = fixture.Tensor(name);
        return ChannelsLast(values, shape);
    }

    [TestCase("f32")]
    [TestCase("q8_0")]
    [TestCase("q4_0")]
    public void Neck_MatchesTheReference(string type)
    {
        (PixelModel model, ReferenceFixture fixture) = Open(type);
        using (model)
        using (fixture)
        using (PixelContext context = model.CreateContext(threads: 2))
        {
            (float[] features, _) = fixture.Tensor("proj.mask_features");
            float[] neck = context.PrepareMaskFeatures(features);
            var stage = new ParityStage("neck.out");
            stage.Compare(neck, FixtureChannelsLast(fixture, "neck.out"));
            stage.AssertWithin(Bounds[type].Tolerance, Bounds[type].Why);
        }
    }

    [TestCase("f32")]
    [TestCase("q8_0")]
    [TestCase("q4_0")]
    public void EveryDecoderStage_MatchesTheReference(string type)
    {
        (PixelModel model, ReferenceFixture fixture) = Open(type);
        using (model)
        using (fixture)
        using (PixelContext context = model.CreateContext(threads: 2))
        {
            (float[] hidden, IReadOnlyList<long> hiddenShape) = fixture.Tensor("seg.hidden");
            int targets = (int)hiddenShape[0] / (model.Info.SegTokensPerScale * model.Info.ScaleCount);
            Assert.That(targets, Is.EqualTo(2), "the forced fixture names two targets");
            var intermediates = new MaskDecoderIntermediates(model.Info, targets);
            DecodedMasks masks = context.DecodeMasks(FixtureChannelsLast(fixture, "neck.out"), hidden, targets, intermediates);
            (double tolerance, string why) = Bounds[type];

            Check("seg.text_fcs", intermediates.TextFcs, fixture.Tensor("seg.text_fcs").Values, tolerance, why);
            Check("seg.queries", intermediates.Queries, fixture.Tensor("seg.queries").Values, tolerance, why);
            Check("pe.dense32", intermediates.Pe[0], FixtureChannelsLast(fixture, "pe.dense32"), PeTolerance,
                "f32 phase rounding, ulp(|phi|)");
            Check("pe.dense64", intermediates.Pe[1], FixtureChannelsLast(fixture, "pe.dense64"), PeTolerance,
                "f32 phase rounding, ulp(|phi|)");
            float[][] levelMasks = [masks.Level0, masks.Level1];
            for (int level = 0; level < 2; level++)
            {
                string prefix = $"decoder.level{level}.";
                Check(prefix + "src", intermediates.Src[level], FixtureChannelsLast(fixture, prefix + "src"), tolerance, why);
                Check(prefix + "tokens", intermediates.Tokens[level], fixture.Tensor(prefix + "tokens").Values, tolerance, why);
                Check(prefix + "queries", intermediates.OutQueries[level], fixture.Tensor(prefix + "queries").Values, tolerance, why);
                Check(prefix + "keys", intermediates.Keys[level], fixture.Tensor(prefix + "keys").Values, tolerance, why);
                Check(prefix + "masks", levelMasks[level], fixture.Tensor(prefix + "masks").Values, tolerance, why);
                float[] iou = new float[targets * masks.MaskTokens];
                for (int t = 0; t < targets; t++)
                    masks.Iou.AsSpan(((t * 2) + level) * masks.MaskTokens, masks.MaskTokens).CopyTo(iou.AsSpan(t * masks.MaskTokens));
                Check(prefix + "iou", iou, fixture.Tensor(prefix + "iou").Values, tolerance, why);
            }
        }
    }

    [Test]
    public void MasksFromTheEnginesOwnNeck_MatchTheReference()
    {
        (PixelModel model, ReferenceFixture fixture) = Open("f32");
        using (model)
        using (fixture)
        using (PixelContext context = model.CreateContext(threads: 2))
        {
            float[] neck = context.PrepareMaskFeatures(fixture.Tensor("proj.mask_features").Values);
            (float[] hidden, _) = fixture.Tensor("seg.hidden");
            DecodedMasks masks = context.DecodeMasks(neck, hidden, 2);
            Assert.Multiple(() =>
            {
                Assert.That(masks.Level0Side, Is.EqualTo(64));
                Assert.That(masks.Level1Side, Is.EqualTo(128));
            });
            Check("decoder.level0.masks", masks.Level0, fixture.Tensor("decoder.level0.masks").Values, Bounds["f32"].Tolerance, Bounds["f32"].Why);
            Check("decoder.level1.masks", masks.Level1, fixture.Tensor("decoder.level1.masks").Values, Bounds["f32"].Tolerance, Bounds["f32"].Why);
        }
    }

    private static void Check(string name, float[] actual, float[] expected, double tolerance, string why)
    {
        var stage = new ParityStage(name);
        stage.Compare(actual, expected);
        stage.AssertWithin(tolerance, why);
    }
}
