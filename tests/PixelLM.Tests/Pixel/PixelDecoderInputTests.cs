using NUnit.Framework;
using PixelLM.Interop;
using PixelLM.Pixel;
using PixelLM.Tests.Parity;

namespace PixelLM.Tests.Pixel;

/// <summary>Bad input to the pixel decoder: clear exceptions (C#) and statuses (C ABI), no crash.</summary>
[TestFixture]
public sealed unsafe class PixelDecoderInputTests
{
    private PixelModel _model = null!;

    [OneTimeSetUp]
    public void LoadModel() => _model = PixelModel.Load(TestData.Require("gguf", "tiny-f32", "pixel.gguf"));

    [OneTimeTearDown]
    public void FreeModel() => _model.Dispose();

    private int NeckLength => 2 * _model.Info.PatchGrid * _model.Info.PatchGrid * _model.Info.DecoderWidth;

    private int HiddenLength(int targets) =>
        targets * _model.Info.SegTokensPerScale * _model.Info.ScaleCount * _model.Info.LanguageModelWidth;

    [Test]
    public void ReportsTheDecoderGeometry()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_model.Info.MaskFeatureWidth, Is.EqualTo(64));
            Assert.That(_model.Info.MaskTokenCount, Is.EqualTo(4));
        });
    }

    [Test]
    public void WrongLengthsAndTargetCounts_Throw()
    {
        using PixelContext context = _model.CreateContext(threads: 1);
        var neck = new float[NeckLength];
        var hidden = new float[HiddenLength(2)];
        Assert.Multiple(() =>
        {
            Assert.That(() => context.PrepareMaskFeatures(new float[10]),
                Throws.ArgumentException.With.Message.Contains("mask features hold 10 values"));
            Assert.That(() => context.DecodeMasks(new float[NeckLength - 1], hidden, 2),
                Throws.ArgumentException.With.Message.Contains("neck output"));
            Assert.That(() => context.DecodeMasks(neck, hidden, 3),
                Throws.ArgumentException.With.Message.Contains("3 targets need 18 rows of 64"));
            Assert.That(() => context.DecodeMasks(neck, ReadOnlySpan<float>.Empty, 0),
                Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => _model.CreateContext(maxTargets: -1), Throws.InstanceOf<PixelLmInvalidArgumentException>()
                .With.Message.Contains("max_targets"));
        });
        // The context still works after the rejected calls.
        Assert.That(context.DecodeMasks(neck, hidden, 2).Level0, Has.Length.EqualTo(2 * 64 * 64));
    }

    [Test]
    public void MoreTargetsThanTheBatchSize_RunInChunks()
    {
        using PixelContext context = _model.CreateContext(threads: 1, maxTargets: 1);
        DecodedMasks masks = context.DecodeMasks(new float[NeckLength], new float[HiddenLength(3)], 3);
        Assert.That(masks.Targets, Is.EqualTo(3));
        Assert.That(masks.Level1, Has.All.Matches<float>(float.IsFinite));
    }

    [Test]
    public void ADisposedContext_Throws()
    {
        PixelContext context = _model.CreateContext(threads: 1);
        context.Dispose();
        Assert.That(() => context.DecodeMasks(new float[NeckLength], new float[HiddenLength(1)], 1),
            Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => context.PrepareMaskFeatures(new float[2 * 32 * 32 * 64]), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void TheCAbi_RejectsNullBuffersAndAWrongWidth()
    {
        pxl_pixel_model* model = null;
        pxl_pixel_context* context = null;
        byte[] path = System.Text.Encoding.UTF8.GetBytes(TestData.Require("gguf", "tiny-f32", "pixel.gguf") + "\0");
        fixed (byte* p = path)
            Assert.That(NativeMethods.pxl_pixel_model_load(p, null, &model), Is.EqualTo(pxl_status.PXL_STATUS_OK));
        try
        {
            pxl_pixel_context_params parameters = NativeMethods.pxl_pixel_context_default_params();
            parameters.n_threads = 1;
            Assert.That(NativeMethods.pxl_pixel_context_create(model, &parameters, &context), Is.EqualTo(pxl_status.PXL_STATUS_OK));
            var neck = new float[NeckLength];
            var hidden = new float[HiddenLength(1)];
            var level0 = new float[64 * 64];
            var level1 = new float[128 * 128];
            fixed (float* n = neck)
            fixed (float* h = hidden)
            fixed (float* l0 = level0)
            fixed (float* l1 = level1)
            {
                pxl_mask_outputs outputs = NativeMethods.pxl_mask_outputs_default();
                outputs.level0 = l0;
                Assert.That(Rejected(NativeMethods.pxl_pixel_decode_masks(context, n, h, 1, 64, &outputs)), Does.Contain("level1 is NULL"));
                outputs.level1 = l1;
                Assert.That(Rejected(NativeMethods.pxl_pixel_decode_masks(context, n, h, 1, 63, &outputs)), Does.Contain("hidden_width is 63"));
                Assert.That(Rejected(NativeMethods.pxl_pixel_decode_masks(context, n, h, 0, 64, &outputs)), Does.Contain("n_targets is 0"));
                Assert.That(Rejected(NativeMethods.pxl_pixel_decode_masks(context, null, h, 1, 64, &outputs)), Does.Contain("neck is NULL"));
                Assert.That(Rejected(NativeMethods.pxl_pixel_decode_masks(context, n, h, 1, 64, null)), Does.Contain("outputs is NULL"));
                outputs.struct_size = 8;
                Assert.That(Rejected(NativeMethods.pxl_pixel_decode_masks(context, n, h, 1, 64, &outputs)), Does.Contain("struct_size"));
                Assert.That(Rejected(NativeMethods.pxl_pixel_prepare_mask_features(context, null, n)), Does.Contain("mask_features is NULL"));
                Assert.That(Rejected(NativeMethods.pxl_pixel_prepare_mask_features(null, n, n)), Does.Contain("context is NULL"));
                outputs.struct_size = (ulong)sizeof(pxl_mask_outputs);
                Assert.That(NativeMethods.pxl_pixel_decode_masks(context, n, h, 1, 64, &outputs), Is.EqualTo(pxl_status.PXL_STATUS_OK));
            }
        }
        finally
        {
            NativeMethods.pxl_pixel_context_free(context);
            NativeMethods.pxl_pixel_model_free(model);
        }
    }

    // The message of a call that must fail with INVALID_ARGUMENT.
    private static string Rejected(pxl_status status)
    {
        Assert.That(status, Is.EqualTo(pxl_status.PXL_STATUS_INVALID_ARGUMENT));
        return NativeText.FromNullTerminated(NativeMethods.pxl_last_error());
    }
}
