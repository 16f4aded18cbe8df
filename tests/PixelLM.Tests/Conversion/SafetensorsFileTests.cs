using System.Text;
using NUnit.Framework;
using PixelLM.Conversion;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Conversion;

/// <summary>The safetensors reader on hand-built files: the layout rules it enforces and the ones it must not.</summary>
[TestFixture]
public sealed class SafetensorsFileTests
{
    private static string Write(TempDirectory directory, string header, int dataBytes)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        string path = directory.File("t.safetensors");
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((ulong)json.Length));
        stream.Write(json);
        stream.Write(new byte[dataBytes]);
        return path;
    }

    [Test]
    public void AnEmptyTensor_MayShareItsOffsetWithTheNextTensor()
    {
        using var directory = new TempDirectory();
        string path = Write(directory,
            """{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        Assert.That(file.Tensors.Select(t => t.ElementCount), Is.EquivalentTo(new long[] { 0, 2 }));
    }

    [Test]
    public void OverlappingTensors_AreRefusedByName()
    {
        using var directory = new TempDirectory();
        string path = Write(directory,
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12);
        var error = Assert.Throws<PixelLmFormatException>(() => SafetensorsFile.Open(path).Dispose())!;
        Assert.That(error.Message, Does.Contain("overlap"));
    }
}
