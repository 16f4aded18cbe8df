using NUnit.Framework;

namespace PixelLM.Tests.Native;

/// <summary>Facts about the loaded library (<see cref="PixelLmNative"/>).</summary>
[TestFixture]
public sealed class PixelLmNativeTests
{
    [Test]
    public void AbiVersion_MatchesTheBindings()
    {
        Assert.That(PixelLmNative.AbiVersion, Is.EqualTo(PixelLmNative.ExpectedAbiVersion));
        Assert.That(PixelLmNative.ExpectedAbiVersion, Is.EqualTo(PixelLM.Interop.NativeMethods.PXL_ABI_VERSION));
    }

    [Test]
    public void Version_IsMajorMinorPatch()
    {
        Assert.That(PixelLmNative.Version, Does.Match(@"^\d+\.\d+\.\d+$"));
    }

    [Test]
    public void LibraryPath_IsTheLoadedFile()
    {
        Assert.That(File.Exists(PixelLmNative.LibraryPath), Is.True, PixelLmNative.LibraryPath);
        Assert.That(Path.GetFileName(PixelLmNative.LibraryPath), Does.StartWith("libpixellm").Or.StartWith("pixellm"));
    }

    [Test]
    public void Cpu_FactsAreSane()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Enum.IsDefined(PixelLmNative.BestIsa), Is.True);
            Assert.That(Enum.IsDefined(PixelLmNative.ActiveIsa), Is.True);
            Assert.That(PixelLmNative.ActiveIsa, Is.LessThanOrEqualTo(PixelLmNative.BestIsa));
            Assert.That(PixelLmNative.PhysicalCores, Is.GreaterThanOrEqualTo(1).And.LessThanOrEqualTo(Environment.ProcessorCount));
        }
    }
}
