using NUnit.Framework;

namespace PixelLM.Tests.Parity;

/// <summary>
/// The reference's stages the engine does not compute yet, listed so every run reports them as
/// skipped with the reason instead of leaving them out silently. Each one becomes a real parity test
/// when its stage lands, against the fixture tensors named here.
/// </summary>
[TestFixture]
public sealed class PendingStageTests
{
    [TestCase("image decoding and CLIP preprocessing", "image.rgb, image.resized, image.pixels, mask.*", "the vision issue (decoding, preprocessing)")]
    [TestCase("codebook gathering and fusion", "seg.hidden, seg.text_fcs, seg.queries", "the segmentation issue (pipeline)")]
    [TestCase("pixel decoder", "pe.*, neck.out, decoder.level0.*, decoder.level1.*, masks.fused_lowres", "the segmentation issue (pixel decoder)")]
    [TestCase("mask post-processing", "masks.logits, masks.binary, masks.scores", "the segmentation issue (C# mask kernels)")]
    public void StageNotImplementedYet(string stage, string fixtureTensors, string arrivesWith) =>
        Assert.Ignore($"{stage}: not implemented in the engine yet; compared against {fixtureTensors} when {arrivesWith} lands");
}
