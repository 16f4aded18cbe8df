using NUnit.Framework;
using PixelLM.Gguf;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Gguf;

/// <summary>The life of a <see cref="GgufWriter"/>: misuse, abandonment, replacement of keys, argument checks.</summary>
[TestFixture]
public sealed class GgufWriterTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void CreateFolder() => _temp = new TempDirectory();

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    [Test]
    public void WriteTensor_BeforeBegin_IsInvalidState()
    {
        using var writer = new GgufWriter();
        writer.AddTensor("t", GgufTensorType.F32, 4);
        var error = Assert.Throws<PixelLmInvalidStateException>(() => writer.WriteTensor(new float[4]));
        Assert.That(error!.Status, Is.EqualTo(PixelLmStatus.InvalidState));
        Assert.That(error.NativeMessage, Does.Contain("begin"));
    }

    [Test]
    public void Finish_BeforeBegin_IsInvalidState()
    {
        using var writer = new GgufWriter();
        Assert.That(() => writer.Finish(), Throws.TypeOf<PixelLmInvalidStateException>());
    }

    [Test]
    public void Finish_WithATensorUnwritten_IsInvalidStateAndLeavesNoFile()
    {
        string path = _temp.File("partial.gguf");
        using (var writer = new GgufWriter())
        {
            writer.AddTensor("a", GgufTensorType.F32, 4);
            writer.AddTensor("b", GgufTensorType.F32, 4);
            writer.Begin(path);
            writer.WriteTensor(new float[4]);
            Assert.That(() => writer.Finish(), Throws.TypeOf<PixelLmInvalidStateException>());
        }

        Assert.That(Directory.GetFileSystemEntries(_temp.Path), Is.Empty);
    }

    [Test]
    public void SetMetadata_AfterBegin_IsInvalidState()
    {
        using var writer = new GgufWriter();
        writer.Begin(_temp.File("late.gguf"));
        Assert.That(() => writer.SetUInt32("late.key", 1), Throws.TypeOf<PixelLmInvalidStateException>());
        Assert.That(() => writer.AddTensor("late", GgufTensorType.F32, 4), Throws.TypeOf<PixelLmInvalidStateException>());
    }

    [Test]
    public void AbandonedWriter_LeavesNothingBehind()
    {
        string path = _temp.File("abandoned.gguf");
        using (var writer = new GgufWriter())
        {
            writer.SetString("general.architecture", "test");
            writer.AddTensor("t", GgufTensorType.F32, 32);
            writer.Begin(path);
            writer.WriteTensor(new float[32]);
            // No Finish: disposing abandons the write.
        }

        Assert.That(File.Exists(path), Is.False);
        Assert.That(Directory.GetFileSystemEntries(_temp.Path), Is.Empty, "the temporary file must be deleted too");
    }

    [Test]
    public void WrongSizes_AreInvalidArguments()
    {
        using var writer = new GgufWriter();
        writer.AddTensor("t", GgufTensorType.F32, 8);
        writer.Begin(_temp.File("sizes.gguf"));
        Assert.That(() => writer.WriteTensor(new float[7]), Throws.TypeOf<PixelLmInvalidArgumentException>());
    }

    [Test]
    public void InvalidDeclarations_AreInvalidArguments()
    {
        using var writer = new GgufWriter();
        writer.AddTensor("t", GgufTensorType.F32, 8);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => writer.AddTensor("t", GgufTensorType.F32, 8), Throws.TypeOf<PixelLmInvalidArgumentException>(), "duplicate name");
            Assert.That(() => writer.AddTensor("q", GgufTensorType.Q8_0, 31), Throws.TypeOf<PixelLmInvalidArgumentException>(), "not a block multiple");
            Assert.That(() => writer.AddTensor("d", GgufTensorType.F32, 1, 2, 3, 4, 5), Throws.TypeOf<PixelLmInvalidArgumentException>(), "5 dimensions");
            Assert.That(() => writer.AddTensor("e", GgufTensorType.F32), Throws.TypeOf<PixelLmInvalidArgumentException>(), "no dimensions");
            Assert.That(() => writer.SetUInt32("general.alignment", 48), Throws.TypeOf<PixelLmInvalidArgumentException>(), "alignment not a power of two");
        }
    }

    [Test]
    public void ManagedArgumentChecks_HappenBeforeTheNativeCall()
    {
        using var writer = new GgufWriter();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => writer.SetString(null!, "x"), Throws.ArgumentNullException);
            Assert.That(() => writer.SetString("k", null!), Throws.ArgumentNullException);
            Assert.That(() => writer.SetUInt32("a\0b", 1), Throws.ArgumentException);
            Assert.That(() => writer.SetStringArray("k", "a", null!), Throws.ArgumentNullException);
            Assert.That(() => writer.SetArray<decimal>("k", [1m]), Throws.ArgumentException);
            Assert.That(() => writer.Begin(""), Throws.ArgumentException);
        }
    }

    [Test]
    public void SettingAKeyAgain_ReplacesItsValueInPlace()
    {
        string path = _temp.File("replace.gguf");
        using (var writer = new GgufWriter())
        {
            writer.SetUInt32("first", 1);
            writer.SetString("second", "two");
            writer.SetString("first", "replaced"); // another type is fine
            writer.Begin(path);
            writer.Finish();
        }

        using GgufFile file = GgufFile.Open(path);
        Assert.That(file.Metadata.Keys, Is.EqualTo(new[] { "first", "second" }));
        Assert.That(file.Metadata.GetString("first"), Is.EqualTo("replaced"));
        Assert.That(file.Tensors, Is.Empty);
    }

    [Test]
    public void LongKeysAndStrings_UseThePooledPath()
    {
        // Keys and values past the stack buffer (256 bytes) go through ArrayPool buffers.
        string key = "k." + new string('é', 300);
        string value = string.Concat(Enumerable.Repeat("🌍", 5000));
        string[] strings = Enumerable.Range(0, 2000).Select(i => new string((char)('a' + (i % 26)), i % 300)).ToArray();
        string path = _temp.File(new string('p', 200) + ".gguf");
        using (var writer = new GgufWriter())
        {
            writer.SetString(key, value);
            writer.SetStringArray(key + ".array", strings);
            writer.AddTensor(key + ".tensor", GgufTensorType.F32, 2);
            writer.Begin(path);
            writer.WriteTensor([1f, 2f]);
            writer.Finish();
        }

        using GgufFile file = GgufFile.Open(path);
        Assert.That(file.Metadata.GetString(key), Is.EqualTo(value));
        Assert.That(file.Metadata.GetStringArray(key + ".array"), Is.EqualTo(strings));
        Assert.That(file.ReadTensor(key + ".tensor"), Is.EqualTo(new[] { 1f, 2f }));
    }

    [Test]
    public void DisposedWriter_ThrowsObjectDisposedException()
    {
        var writer = new GgufWriter();
        writer.Dispose();
        writer.Dispose();
        Assert.That(() => writer.SetUInt32("k", 1), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => writer.Begin(_temp.File("x.gguf")), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => writer.WriteTensor(new byte[4]), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void FinishedFile_ReplacesAnExistingFile()
    {
        string path = _temp.File("existing.gguf");
        File.WriteAllText(path, "old contents");
        using (var writer = new GgufWriter())
        {
            writer.SetString("general.architecture", "new");
            writer.Begin(path);
            writer.Finish();
        }

        using GgufFile file = GgufFile.Open(path);
        Assert.That(file.Metadata.GetString("general.architecture"), Is.EqualTo("new"));
    }
}
