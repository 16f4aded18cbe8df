using NUnit.Framework;
using PixelLM.Pixel;
using PixelLM.Tests.Parity;

namespace PixelLM.Tests.Pixel;

/// <summary>
/// Targets never interact in the pixel decoder, and every kernel computes a row the same way however
/// rows are grouped: a batch, its targets one by one, and a batch split into chunks (max_targets
/// smaller than the call) give bit-identical masks.
/// </summary>
[TestFixture]
public sealed class PixelDecoderBatchingTests
{
    [Test]
    public void BatchedOneByOneAndChunkedDecodingAgree_Exactly()
    {
        using PixelModel model = PixelModel.Load(TestData.Require("gguf", "tiny-f32", "pixel.gguf"));
        using ReferenceFixture fixture = ReferenceFixture.Load("tiny-forced-f32");
        int rowsPerTarget = model.Info.SegTokensPerScale * model.Info.ScaleCount;
        int width = model.Info.LanguageModelWidth;
        float[] pair = fixture.Tensor("seg.hidden").Values;
        // Five targets: the two of the fixture, then the first again, the second negated, the first halved.
        float[] hidden = new float[5 * rowsPerTarget * width];
        pair.CopyTo(hidden, 0);
        int row = rowsPerTarget * width;
        for (int i = 0; i < row; i++)
        {
            hidden[(2 * row) + i] = pair[i];
            hidden[(3 * row) + i] = -pair[row + i];
            hidden[(4 * row) + i] = 0.5f * pair[i];
        }

        using PixelContext batched = model.CreateContext(threads: 2);
        using PixelContext chunked = model.CreateContext(threads: 3, maxTargets: 2);
        float[] neck = batched.PrepareMaskFeatures(fixture.Tensor("proj.mask_features").Values);
        DecodedMasks all = batched.DecodeMasks(neck, hidden, 5);
        DecodedMasks chunks = chunked.DecodeMasks(neck, hidden, 5);
        Assert.Multiple(() =>
        {
            Assert.That(chunks.Level0, Is.EqualTo(all.Level0), "chunks of 2 vs one batch of 5, level 0");
            Assert.That(chunks.Level1, Is.EqualTo(all.Level1), "chunks of 2 vs one batch of 5, level 1");
            Assert.That(chunks.Iou, Is.EqualTo(all.Iou), "chunks of 2 vs one batch of 5, IoU");
        });
        for (int t = 0; t < 5; t++)
        {
            DecodedMasks single = batched.DecodeMasks(neck, hidden.AsSpan(t * row, row), 1);
            Assert.That(single.Level0Of(0).ToArray(), Is.EqualTo(all.Level0Of(t).ToArray()), $"target {t} alone, level 0");
            Assert.That(single.Level1Of(0).ToArray(), Is.EqualTo(all.Level1Of(t).ToArray()), $"target {t} alone, level 1");
        }
        Assert.That(all.Level1Of(2).ToArray(), Is.EqualTo(all.Level1Of(0).ToArray()), "the same hidden states give the same mask");
    }
}
