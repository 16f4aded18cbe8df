using NUnit.Framework;
using PixelLM.Gguf;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Gguf;

/// <summary>Arrays of arrays, which GGUF allows and the writer cannot produce: read from a hand-built image.</summary>
[TestFixture]
public sealed class GgufNestedArrayTests
{
    private const uint Int32Type = 5;
    private const uint StringType = 8;
    private const uint ArrayType = 9;

    /// <summary>nested = [[1, 2], [3]] (int32), words = [["a"], []] (string).</summary>
    internal static byte[] NestedImage() => new GgufImage()
        .Add("test.nested", ArrayType, w =>
        {
            GgufImage.WriteArrayHeader(w, ArrayType, 2);
            GgufImage.WriteArrayHeader(w, Int32Type, 2);
            w.Write(1);
            w.Write(2);
            GgufImage.WriteArrayHeader(w, Int32Type, 1);
            w.Write(3);
        })
        .Add("test.words", ArrayType, w =>
        {
            GgufImage.WriteArrayHeader(w, ArrayType, 2);
            GgufImage.WriteArrayHeader(w, StringType, 1);
            GgufImage.WriteString(w, "a");
            GgufImage.WriteArrayHeader(w, StringType, 0);
        })
        .ToArray();

    [Test]
    public void NestedArrays_AreReadElementByElement()
    {
        using GgufFile file = GgufFile.Load(NestedImage());
        GgufValue nested = file.Metadata.GetValue("test.nested");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(nested.ElementType, Is.EqualTo(GgufValueType.Array));
            Assert.That(nested.TypeName, Is.EqualTo("array[array]"));
            Assert.That(nested.Count, Is.EqualTo(2));
            Assert.That(nested[0].TypeName, Is.EqualTo("array[int32]"));
            Assert.That(nested[0].ToArray<int>(), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(nested[1].ToArray<int>(), Is.EqualTo(new[] { 3 }));
            Assert.That(nested[0][1].AsInt32(), Is.EqualTo(2));
            Assert.That(nested.ToString(), Is.EqualTo("[2 × array] [2 × int32], [1 × int32]"));
            Assert.That(() => nested.ToArray<int>(), Throws.TypeOf<PixelLmTypeMismatchException>());

            GgufValue words = file.Metadata.GetValue("test.words");
            Assert.That(words[0].ToStringArray(), Is.EqualTo(new[] { "a" }));
            Assert.That(words[1].ToStringArray(), Is.Empty);
            Assert.That(words[1].ElementType, Is.EqualTo(GgufValueType.String));
        }
    }

    [Test]
    public void FileWithoutTensors_HasAnEmptyTensorList()
    {
        using GgufFile file = GgufFile.Load(NestedImage());
        Assert.That(file.Tensors, Is.Empty);
        Assert.That(file.Alignment, Is.EqualTo(32));
    }
}
