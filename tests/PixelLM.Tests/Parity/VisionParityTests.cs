using NUnit.Framework;
using PixelLM.Pixel;

namespace PixelLM.Tests.Parity;

/// <summary>
/// The vision tower and the projectors against the PyTorch reference on the tiny and the small PixelLM (spec
/// §3-4; the small one's tower has width 256 and heads of 64, as ViT-L), fed the fixture's own pixels and valid size: hs[0], the two selected hidden states, the pooled deep features, the
/// LLM image tokens and the mask-branch features.
/// </summary>
[TestFixture]
public sealed class VisionParityTests
{
    // Errors are relative to the largest reference value of each tensor.
    // f32 weights, f32 compute: the same function, only summation order differs (GEMM blocking, FMA,
    //   the softmax's sums). Measured at most 1.1e-6 (tiny and small models); 1e-5 is the bound.
    // f16 weights (the converter's default for the pixel file; the reference keeps f32): each weight is
    //   rounded by up to 2^-11 relative, and the hidden states move by about that much of their range.
    //   Measured at most 8.5e-4 on the tiny model; 1e-2 is the bound.
    // bf16 compute (activations and weights rounded to bf16, 8 significant bits, f32 accumulation): ~2^-9
    //   relative per product. Measured at most 6.8e-3 (tiny) and 8.4e-3 (small) of the range; 3e-2 is the
    //   bound, far below what a wrong layout, mask or position table causes (errors of the whole range).
    private const double F32Bound = 1e-5;
    private const double F16WeightsBound = 1e-2;
    private const double Bf16ComputeBound = 3e-2;

    private static readonly string[] Stages =
        ["clip.hs0", "clip.hs_deep", "clip.hs_mid", "proj.pooled", "proj.image_tokens", "proj.mask_features"];

    [TestCase("tiny-f32", "tiny-greedy-f32", VisionComputeType.Float32, F32Bound, "f32 weights and compute, summation order only")]
    [TestCase("tiny-f32", "tiny-forced-f32", VisionComputeType.Float32, F32Bound, "f32 weights and compute, summation order only")]
    [TestCase("tiny-q8_0", "tiny-greedy-f32", VisionComputeType.Float32, F16WeightsBound, "f16 vision weights against the f32 reference")]
    [TestCase("tiny-f32", "tiny-greedy-f32", VisionComputeType.BFloat16, Bf16ComputeBound, "bf16 products against the f32 reference")]
    [TestCase("small-f32", "small-forced-f32", VisionComputeType.Float32, F32Bound, "f32 weights and compute, summation order only")]
    [TestCase("small-f32", "small-forced-f32", VisionComputeType.BFloat16, Bf16ComputeBound, "bf16 products against the f32 reference")]
    public void EveryStage_MatchesTheReference(string pair, string fixtureName, VisionComputeType compute, double bound, string why)
    {
        if (compute == VisionComputeType.BFloat16 && PixelLmNative.ActiveIsa != CpuIsa.Avx512)
            Assert.Ignore($"BF16 compute needs the avx512 kernel level; this run uses {PixelLmNative.ActiveIsa}");
        using var model = PixelModel.Load(TestData.Require("gguf", pair, "pixel.gguf"));
        using ReferenceFixture fixture = ReferenceFixture.Load(fixtureName);
        using PixelContext context = model.CreateContext(2, visionCompute: compute);
        (float[] pixels, _) = fixture.Tensor("image.pixels");
        (int height, int width) = fixture.InputSize;

        VisionFeatures features = context.EncodeImage(pixels, height, width, out VisionIntermediates intermediates);

        float[][] actual =
        [
            intermediates.Embeddings, intermediates.DeepHiddenStates, intermediates.MidHiddenStates, intermediates.Pooled,
            features.ImageTokens, features.MaskFeatures,
        ];
        Assert.Multiple(() =>
        {
            for (int i = 0; i < Stages.Length; i++)
            {
                var stage = new ParityStage($"{pair} {compute} {Stages[i]}");
                stage.Compare(actual[i], fixture.Tensor(Stages[i]).Values);
                stage.AssertWithin(bound, why);
            }
        });
    }

    [Test]
    public void ThePixelFileHoldsTheStretchedPositionTableOfTheReference()
    {
        using var file = PixelLM.Gguf.GgufFile.Open(TestData.Require("gguf", "tiny-f32", "pixel.gguf"));
        using ReferenceFixture fixture = ReferenceFixture.Load("tiny-greedy-f32");
        float[] table = file.ReadTensor("vision_model.embeddings.position_embedding.weight");
        var stage = new ParityStage("clip.position_table");
        stage.Compare(table, fixture.Tensor("clip.position_table").Values);
        stage.AssertWithin(1e-6, "the converter's stretch (spec §3.2) against the reference's, both in f32");
    }
}
