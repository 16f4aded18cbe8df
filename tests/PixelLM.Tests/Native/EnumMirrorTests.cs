using NUnit.Framework;
using PixelLM.Gguf;
using PixelLM.Interop;

namespace PixelLM.Tests.Native;

/// <summary>
/// The public enums are written by hand over the generated ones (which keep C names); these tests keep
/// them equal value for value, so a new native value cannot slip past the public API unnoticed.
/// </summary>
[TestFixture]
public sealed class EnumMirrorTests
{
    [Test]
    public void PixelLmStatus_MirrorsPxlStatus() => AssertMirrors<PixelLmStatus, pxl_status>();

    [Test]
    public void GgufTensorType_MirrorsPxlTensorType() => AssertMirrors<GgufTensorType, pxl_tensor_type>();

    [Test]
    public void GgufValueType_MirrorsPxlGgufType() => AssertMirrors<GgufValueType, pxl_gguf_type>();

    [Test]
    public void CpuIsa_MirrorsPxlCpuIsa() => AssertMirrors<CpuIsa, pxl_cpu_isa>();

    [Test]
    public void VisionComputeType_MirrorsPxlComputeType() => AssertMirrors<PixelLM.Pixel.VisionComputeType, pxl_compute_type>();

    [Test]
    public void PixelLmLogLevel_MirrorsPxlLogLevel() => AssertMirrors<PixelLmLogLevel, pxl_log_level>();

    [Test]
    public void ImageFormat_MirrorsPxlImageFormat() => AssertMirrors<PixelLM.Imaging.ImageFormat, pxl_image_format>();

    [Test]
    public void ImageAlphaMode_MirrorsPxlImageAlphaMode() => AssertMirrors<PixelLM.Imaging.ImageAlphaMode, pxl_image_alpha_mode>();

    [Test]
    public void GgufTensorType_NamesAreTheNativeNamesWithoutPrefix()
    {
        IEnumerable<string> native = Enum.GetNames<pxl_tensor_type>().Select(n => n["PXL_TENSOR_TYPE_".Length..]);
        Assert.That(Enum.GetNames<GgufTensorType>(), Is.EquivalentTo(native));
    }

    private static void AssertMirrors<TPublic, TNative>()
        where TPublic : struct, Enum
        where TNative : struct, Enum
    {
        int[] publicValues = Enum.GetValues<TPublic>().Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        int[] nativeValues = Enum.GetValues<TNative>().Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.That(publicValues, Is.EqualTo(nativeValues), $"{typeof(TPublic).Name} vs {typeof(TNative).Name}");
    }
}
