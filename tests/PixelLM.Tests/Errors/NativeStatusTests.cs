using NUnit.Framework;
using PixelLM.Interop;

namespace PixelLM.Tests.Errors;

/// <summary>The one mapping from native statuses to exceptions (<see cref="NativeStatus"/>).</summary>
[TestFixture]
public sealed class NativeStatusTests
{
    [TestCase(PixelLmStatus.InvalidArgument, typeof(PixelLmInvalidArgumentException))]
    [TestCase(PixelLmStatus.IOError, typeof(PixelLmIOException))]
    [TestCase(PixelLmStatus.InvalidFormat, typeof(PixelLmFormatException))]
    [TestCase(PixelLmStatus.Unsupported, typeof(PixelLmUnsupportedException))]
    [TestCase(PixelLmStatus.OutOfMemory, typeof(PixelLmOutOfMemoryException))]
    [TestCase(PixelLmStatus.BufferTooSmall, typeof(PixelLmBufferTooSmallException))]
    [TestCase(PixelLmStatus.NotFound, typeof(PixelLmNotFoundException))]
    [TestCase(PixelLmStatus.TypeMismatch, typeof(PixelLmTypeMismatchException))]
    [TestCase(PixelLmStatus.InvalidState, typeof(PixelLmInvalidStateException))]
    [TestCase(PixelLmStatus.InternalError, typeof(PixelLmInternalException))]
    [TestCase(PixelLmStatus.ContextFull, typeof(PixelLmContextFullException))]
    public void EachFailureStatus_MapsToItsOwnExceptionType(PixelLmStatus status, Type expected)
    {
        Exception error = NativeStatus.Create(status, "native says no", subject: null);
        Assert.That(error, Is.TypeOf(expected));
        var pixelLmError = (PixelLmException)error;
        Assert.That(pixelLmError.Status, Is.EqualTo(status));
        Assert.That(pixelLmError.NativeMessage, Is.EqualTo("native says no"));
        Assert.That(pixelLmError.Message, Is.EqualTo("native says no"));
    }

    [Test]
    public void Cancelled_MapsToAnOperationCanceledException()
    {
        Exception error = NativeStatus.Create(PixelLmStatus.Canceled, "stopped by callback", subject: null);
        Assert.That(error, Is.TypeOf<PixelLmCanceledException>());
        Assert.That(error, Is.InstanceOf<OperationCanceledException>());
        Assert.That(error, Is.Not.InstanceOf<PixelLmException>());
        Assert.That(((PixelLmCanceledException)error).NativeMessage, Is.EqualTo("stopped by callback"));
        Assert.That(((PixelLmCanceledException)error).Status, Is.EqualTo(PixelLmStatus.Canceled));
    }

    [Test]
    public void UnknownStatus_MapsToTheBaseTypeWithItsNumber()
    {
        Exception error = NativeStatus.Create((PixelLmStatus)99, string.Empty, subject: null);
        Assert.That(error, Is.TypeOf<PixelLmException>());
        Assert.That(((PixelLmException)error).Status, Is.EqualTo((PixelLmStatus)99));
        Assert.That(error.Message, Does.Contain("99"));
    }

    [Test]
    public void EmptyNativeMessage_FallsBackToTheStatusName()
    {
        Exception error = NativeStatus.Create(PixelLmStatus.NotFound, string.Empty, subject: null);
        Assert.That(error.Message, Does.Contain("not_found"));
    }

    [Test]
    public void Subject_IsPrefixedOnlyWhenTheMessageLacksIt()
    {
        Assert.That(
            NativeStatus.BuildMessage(PixelLmStatus.IOError, "No such file or directory", "/tmp/x.gguf"),
            Is.EqualTo("/tmp/x.gguf: No such file or directory"));
        Assert.That(
            NativeStatus.BuildMessage(PixelLmStatus.IOError, "cannot open '/tmp/x.gguf': No such file", "/tmp/x.gguf"),
            Is.EqualTo("cannot open '/tmp/x.gguf': No such file"));
    }

    [Test]
    public void Ok_DoesNotThrow()
    {
        Assert.That(() => NativeStatus.ThrowIfFailed(pxl_status.PXL_STATUS_OK), Throws.Nothing);
    }
}
