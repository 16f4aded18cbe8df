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
    [TestCase("codebook gathering", "seg.mask, seg.positions, seg.hidden", "the segmentation issue (pipeline)")]
    public void StageNotImplementedYet(string stage, string fixtureTensors, string arrivesWith) =>
        Assert.Ignore($"{stage}: not implemented in the engine yet; compared against {fixtureTensors} when {arrivesWith} lands");
}
