using NUnit.Framework;
using PixelLM.Conversion;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Conversion;

/// <summary>
/// <c>torch.save</c> archives beyond what the builder writes: a real <c>state_dict()</c> (an OrderedDict with
/// <c>_metadata</c>, set by BUILD), views at an offset into a shared storage, every float dtype, a scalar,
/// and a transposed (non-contiguous) tensor that must be refused by name.
/// </summary>
[TestFixture]
public sealed class TorchZipCheckpointTests
{
    private TempDirectory _temp = null!;

    [OneTimeSetUp]
    public void Save()
    {
        _temp = new TempDirectory();
        ReferenceBuilder.RunScript($$"""
            import torch
            sd = torch.nn.Linear(3, 2).state_dict()
            with torch.no_grad():
                sd['weight'].copy_(torch.arange(6.).reshape(2, 3))
                sd['bias'].copy_(torch.tensor([0.5, -0.25]))
            base = torch.arange(10.)
            sd['view'] = base[2:5]
            sd['view2'] = base[6:8]
            sd['half'] = torch.tensor([1.5, -2.0]).half()
            sd['bf16'] = torch.tensor([3.0, 0.0078125]).bfloat16()
            sd['scalar'] = torch.tensor(7.0)
            torch.save(sd, '{{_temp.File("ok.bin")}}')
            torch.save({'t': torch.arange(6.).reshape(2, 3).t()}, '{{_temp.File("strided.bin")}}')
            """);
    }

    [OneTimeTearDown]
    public void Delete() => _temp.Dispose();

    [Test]
    public void StateDict_ReadsEveryTensorExactly()
    {
        using TorchZipCheckpoint file = TorchZipCheckpoint.Open(_temp.File("ok.bin"));
        Dictionary<string, CheckpointTensor> tensors = file.Tensors.ToDictionary(t => t.Name);

        Assert.That(tensors.Keys, Is.EqualTo(new[] { "weight", "bias", "view", "view2", "half", "bf16", "scalar" }));
        Assert.That(tensors["weight"].Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(Read(tensors["weight"]), Is.EqualTo(new float[] { 0, 1, 2, 3, 4, 5 }));
        Assert.That(Read(tensors["bias"]), Is.EqualTo(new[] { 0.5f, -0.25f }));
        Assert.That(Read(tensors["view"]), Is.EqualTo(new float[] { 2, 3, 4 }));
        Assert.That(Read(tensors["view2"]), Is.EqualTo(new float[] { 6, 7 }));
        Assert.That((tensors["half"].DType, Read(tensors["half"])), Is.EqualTo((CheckpointDType.F16, new[] { 1.5f, -2f })));
        Assert.That((tensors["bf16"].DType, Read(tensors["bf16"])), Is.EqualTo((CheckpointDType.BF16, new[] { 3f, 0.0078125f })));
        Assert.That(tensors["scalar"].Shape, Is.Empty);
        Assert.That(Read(tensors["scalar"]), Is.EqualTo(new[] { 7f }));
    }

    [Test]
    public void NonContiguousTensor_IsRefusedByName()
    {
        Assert.That(() => TorchZipCheckpoint.Open(_temp.File("strided.bin")),
            Throws.InstanceOf<PixelLmUnsupportedException>().With.Message.Contains("tensor 't'").And.Message.Contains("not contiguous"));
    }

    [Test]
    public void NotAZip_IsAFormatError()
    {
        string path = _temp.File("legacy.bin");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a]);
        Assert.That(() => TorchZipCheckpoint.Open(path),
            Throws.InstanceOf<PixelLmFormatException>().With.Message.Contains("legacy.bin").And.Message.Contains("not a torch zip checkpoint"));
    }

    private static float[] Read(CheckpointTensor tensor)
    {
        var values = new float[tensor.ElementCount];
        tensor.ReadFloat32(values);
        return values;
    }
}
