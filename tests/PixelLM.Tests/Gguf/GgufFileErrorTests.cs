using NUnit.Framework;
using PixelLM.Gguf;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Gguf;

/// <summary>How <see cref="GgufFile"/> fails: missing and damaged files, unknown names, wrong types, disposal.</summary>
[TestFixture]
public sealed class GgufFileErrorTests
{
    private TempDirectory _temp = null!;
    private string _samplePath = null!;
    private byte[] _sample = null!;

    [OneTimeSetUp]
    public void WriteSample()
    {
        _temp = new TempDirectory();
        _samplePath = _temp.File("sample.gguf");
        SampleGguf.Write(_samplePath);
        _sample = File.ReadAllBytes(_samplePath);
    }

    [OneTimeTearDown]
    public void DeleteSample() => _temp.Dispose();

    [Test]
    public void Open_MissingFile_ThrowsIOExceptionNamingThePath()
    {
        string path = _temp.File("does-not-exist.gguf");
        var error = Assert.Throws<PixelLmIOException>(() => GgufFile.Open(path));
        Assert.That(error!.Status, Is.EqualTo(PixelLmStatus.IOError));
        Assert.That(error.Message, Does.Contain(path));
        Assert.That(error.NativeMessage, Is.Not.Empty);
        Assert.That(error, Is.InstanceOf<PixelLmException>());
    }

    [Test]
    public void Open_TruncatedFile_ThrowsFormatExceptionWithTheNativeMessage()
    {
        string path = _temp.File("truncated.gguf");
        File.WriteAllBytes(path, _sample.AsSpan(0, _sample.Length / 3).ToArray());
        var error = Assert.Throws<PixelLmFormatException>(() => GgufFile.Open(path));
        Assert.That(error!.Status, Is.EqualTo(PixelLmStatus.InvalidFormat));
        Assert.That(error.NativeMessage, Is.Not.Empty);
        Assert.That(error.Message, Does.Contain(error.NativeMessage));
        Assert.That(error.Message, Does.Contain(path));
    }

    [Test]
    public void Open_Garbage_ThrowsFormatException()
    {
        string path = _temp.File("garbage.gguf");
        var random = new Random(7);
        var bytes = new byte[4096];
        random.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<PixelLmFormatException>(() => GgufFile.Open(path));
        Assert.That(error!.NativeMessage, Is.Not.Empty);
    }

    [Test]
    public void Load_DamagedBytes_ThrowsFormatException()
    {
        Assert.That(() => GgufFile.Load(_sample.AsSpan(0, 100)), Throws.TypeOf<PixelLmFormatException>());
        Assert.That(() => GgufFile.Load("GGUF"u8), Throws.TypeOf<PixelLmFormatException>());
        Assert.That(() => GgufFile.Load(ReadOnlySpan<byte>.Empty), Throws.TypeOf<PixelLmFormatException>());
    }

    [Test]
    public void Load_EveryTruncation_FailsCleanly()
    {
        // Cut the header and metadata section at many points: each must fail as a format error,
        // never crash or succeed. (The whole sample loads; see GgufRoundTripTests.)
        for (int length = 0; length < 1024 && length < _sample.Length; length += 7)
        {
            Assert.That(
                () => GgufFile.Load(_sample.AsSpan(0, length)),
                Throws.InstanceOf<PixelLmFormatException>(),
                $"truncated to {length} bytes");
        }
    }

    [Test]
    public void Strings_WithInvalidUtf8_DecodeWithReplacementCharacters()
    {
        // Patch the UTF-8 of "pixellm-test" (general.architecture) in a copy of the file.
        byte[] bytes = (byte[])_sample.Clone();
        int at = bytes.AsSpan().IndexOf("pixellm-test"u8);
        Assert.That(at, Is.GreaterThan(0));
        bytes[at + 1] = 0xFF; // never valid in UTF-8
        bytes[at + 2] = 0xC3; // a lead byte followed by an ASCII byte: truncated sequence

        using GgufFile file = GgufFile.Load(bytes);
        string architecture = file.Metadata.GetString("general.architecture");
        Assert.That(architecture, Does.StartWith("p\uFFFD\uFFFD"));
        Assert.That(architecture, Does.EndWith("ellm-test"));
    }

    [Test]
    public void UnknownTensor_IsNotFound()
    {
        using GgufFile file = GgufFile.Open(_samplePath);
        Assert.That(file.FindTensor("missing.weight"), Is.Null);
        var error = Assert.Throws<PixelLmNotFoundException>(() => file.ReadTensor("missing.weight"));
        Assert.That(error!.Status, Is.EqualTo(PixelLmStatus.NotFound));
        Assert.That(error.Message, Does.Contain("missing.weight"));
        Assert.That(() => file.GetTensor("missing.weight"), Throws.TypeOf<PixelLmNotFoundException>());
        Assert.That(() => file.ReadTensor("missing.weight", new float[1]), Throws.TypeOf<PixelLmNotFoundException>());
    }

    [Test]
    public void UnknownKey_IsNotFound()
    {
        using GgufFile file = GgufFile.Open(_samplePath);
        var error = Assert.Throws<PixelLmNotFoundException>(() => file.Metadata.GetString("general.missing"));
        Assert.That(error!.Message, Does.Contain("general.missing"));
    }

    [Test]
    public void WrongTypeAccess_ThrowsTypeMismatchNamingKeyAndTypes()
    {
        using GgufFile file = GgufFile.Open(_samplePath);
        var error = Assert.Throws<PixelLmTypeMismatchException>(() => file.Metadata.GetUInt32("general.architecture"));
        Assert.That(error!.Status, Is.EqualTo(PixelLmStatus.TypeMismatch));
        Assert.That(error.Message, Does.Contain("general.architecture").And.Contain("string").And.Contain("uint32"));

        GgufMetadata m = file.Metadata;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => m.GetString("test.u32"), Throws.TypeOf<PixelLmTypeMismatchException>());
            Assert.That(() => m.GetInt64("test.u64"), Throws.TypeOf<PixelLmTypeMismatchException>());
            Assert.That(() => m.GetFloat64("test.f32"), Throws.TypeOf<PixelLmTypeMismatchException>());
            Assert.That(() => m.GetArray<int>("tokenizer.ggml.scores"), Throws.TypeOf<PixelLmTypeMismatchException>());
            Assert.That(() => m.GetStringArray("test.array.i32"), Throws.TypeOf<PixelLmTypeMismatchException>());
            Assert.That(() => m.GetArray<int>("test.i32"), Throws.TypeOf<PixelLmTypeMismatchException>());
            Assert.That(() => m.GetValue("test.i32").GetElement(0), Throws.TypeOf<PixelLmTypeMismatchException>());
            Assert.That(() => m.GetValue("test.array.i32").AsInt32(), Throws.TypeOf<PixelLmTypeMismatchException>());
            Assert.That(
                () => m.GetValue("tokenizer.ggml.tokens")[2].AsInt32(),
                Throws.TypeOf<PixelLmTypeMismatchException>().With.Message.Contains("tokenizer.ggml.tokens[2]"));
        }
    }

    [Test]
    public void ArrayElement_OutOfRange_ThrowsArgumentOutOfRange()
    {
        using GgufFile file = GgufFile.Open(_samplePath);
        GgufValue tokens = file.Metadata.GetValue("tokenizer.ggml.tokens");
        Assert.That(() => tokens.GetElement(tokens.Count), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => tokens.GetElement(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void DisposedFile_ThrowsObjectDisposedException()
    {
        GgufFile file = GgufFile.Open(_samplePath);
        GgufValue name = file.Metadata.GetValue("general.name");
        GgufValue tokens = file.Metadata.GetValue("tokenizer.ggml.tokens");
        GgufTensorInfo tensor = file.GetTensor("f32.weight");
        GgufMetadata metadata = file.Metadata;
        file.Dispose();
        file.Dispose(); // twice is fine

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => file.Version, Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => file.Metadata, Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => file.Tensors, Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => file.FindTensor("f32.weight"), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => file.ReadTensor("f32.weight"), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => file.ReadTensor(tensor), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => file.GetTensorData(tensor).Length, Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => metadata.TryGetValue("general.name", out _), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => metadata[0], Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => tokens.GetElement(0), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => tokens.ToStringArray(), Throws.TypeOf<ObjectDisposedException>());

            // What was already read was copied out and stays usable.
            Assert.That(name.AsString(), Is.EqualTo(SampleGguf.UnicodeText));
            Assert.That(tensor.Shape, Is.EqualTo(new long[] { 8, 3 }));
        }
    }

    [Test]
    public void TensorOfAnotherFile_IsRejected()
    {
        using GgufFile first = GgufFile.Open(_samplePath);
        using GgufFile second = GgufFile.Open(_samplePath);
        GgufTensorInfo tensor = first.GetTensor("f32.weight");
        Assert.That(() => second.ReadTensor(tensor), Throws.ArgumentException);
    }

    [Test]
    public void DisposeWhileOtherThreadsRead_NeverCrashes()
    {
        // Readers race with Dispose: each read either completes or throws ObjectDisposedException;
        // the native file is freed only after the last call in flight returns.
        for (int round = 0; round < 20; round++)
        {
            GgufFile file = GgufFile.Open(_samplePath);
            using var start = new ManualResetEventSlim();
            var readers = Enumerable.Range(0, 2).Select(reader => Task.Run(() =>
            {
                start.Wait();
                try
                {
                    for (int i = 0; i < 200; i++)
                    {
                        file.ReadTensor("q4_0.weight");
                        _ = file.Metadata.GetStringArray("tokenizer.ggml.tokens");
                    }
                }
                catch (ObjectDisposedException)
                {
                    // Expected once Dispose has run.
                }
            })).ToArray();
            start.Set();
            Thread.Sleep(round % 3);
            file.Dispose();
            Assert.That(() => Task.WaitAll(readers), Throws.Nothing);
        }
    }
}
