using System.Runtime.InteropServices;
using NUnit.Framework;
using PixelLM.Gguf;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Gguf;

/// <summary>
/// Writes <see cref="SampleGguf"/> with <see cref="GgufWriter"/> and reads every part of it back with
/// <see cref="GgufFile"/>, from the file and from memory.
/// </summary>
[TestFixture]
public sealed class GgufRoundTripTests
{
    private TempDirectory _temp = null!;
    private string _path = null!;
    private GgufFile _file = null!;

    [OneTimeSetUp]
    public void WriteSample()
    {
        _temp = new TempDirectory();
        _path = _temp.File("sample.gguf");
        SampleGguf.Write(_path);
        _file = GgufFile.Open(_path);
    }

    [OneTimeTearDown]
    public void DeleteSample()
    {
        _file.Dispose();
        _temp.Dispose();
    }

    [Test]
    public void Header_MatchesWhatWasWritten()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_file.Path, Is.EqualTo(_path));
            Assert.That(_file.Version, Is.EqualTo(3));
            Assert.That(_file.Alignment, Is.EqualTo(64));
            Assert.That(_file.DataOffset % 64, Is.Zero);
            Assert.That(_file.DataOffset, Is.GreaterThan(0).And.LessThan(_file.FileSize));
            Assert.That(_file.FileSize, Is.EqualTo(new FileInfo(_path).Length));
        }
    }

    [Test]
    public void Metadata_KeysAreInWriteOrder()
    {
        string[] keys = _file.Metadata.Keys.ToArray();
        Assert.That(keys, Has.Length.EqualTo(_file.Metadata.Count));
        Assert.That(keys.Take(4), Is.EqualTo(new[] { "general.architecture", "general.name", "general.alignment", "test.u8" }));
        Assert.That(keys, Does.Contain("test.array.long"));
        Assert.That(keys, Is.Unique);
    }

    [Test]
    public void Metadata_EveryScalarTypeRoundTrips()
    {
        GgufMetadata m = _file.Metadata;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.GetValue("test.u8").AsUInt8(), Is.EqualTo((byte)200));
            Assert.That(m.GetValue("test.i8").AsInt8(), Is.EqualTo((sbyte)-100));
            Assert.That(m.GetValue("test.u16").AsUInt16(), Is.EqualTo((ushort)60000));
            Assert.That(m.GetValue("test.i16").AsInt16(), Is.EqualTo((short)-30000));
            Assert.That(m.GetUInt32("test.u32"), Is.EqualTo(4_000_000_000u));
            Assert.That(m.GetInt32("test.i32"), Is.EqualTo(-2_000_000_000));
            Assert.That(m.GetUInt64("test.u64"), Is.EqualTo(ulong.MaxValue));
            Assert.That(m.GetInt64("test.i64"), Is.EqualTo(long.MinValue));
            Assert.That(m.GetFloat32("test.f32"), Is.EqualTo(0.1f));
            Assert.That(m.GetFloat64("test.f64"), Is.EqualTo(0.1));
            Assert.That(m.GetBoolean("test.bool_true"), Is.True);
            Assert.That(m.GetBoolean("test.bool_false"), Is.False);
            Assert.That(m.GetUInt32("general.alignment"), Is.EqualTo(64u));
        }
    }

    [Test]
    public void Metadata_ValueTypesAndNames()
    {
        GgufMetadata m = _file.Metadata;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.GetValue("test.u8").Type, Is.EqualTo(GgufValueType.UInt8));
            Assert.That(m.GetValue("test.i8").Type, Is.EqualTo(GgufValueType.Int8));
            Assert.That(m.GetValue("test.u16").Type, Is.EqualTo(GgufValueType.UInt16));
            Assert.That(m.GetValue("test.i16").Type, Is.EqualTo(GgufValueType.Int16));
            Assert.That(m.GetValue("test.u32").Type, Is.EqualTo(GgufValueType.UInt32));
            Assert.That(m.GetValue("test.i32").Type, Is.EqualTo(GgufValueType.Int32));
            Assert.That(m.GetValue("test.u64").Type, Is.EqualTo(GgufValueType.UInt64));
            Assert.That(m.GetValue("test.i64").Type, Is.EqualTo(GgufValueType.Int64));
            Assert.That(m.GetValue("test.f32").Type, Is.EqualTo(GgufValueType.Float32));
            Assert.That(m.GetValue("test.f64").Type, Is.EqualTo(GgufValueType.Float64));
            Assert.That(m.GetValue("test.bool_true").Type, Is.EqualTo(GgufValueType.Bool));
            Assert.That(m.GetValue("general.name").Type, Is.EqualTo(GgufValueType.String));
            Assert.That(m.GetValue("test.u64").TypeName, Is.EqualTo("uint64"));
            Assert.That(m.GetValue("test.f32").TypeName, Is.EqualTo("float32"));
            Assert.That(m.GetValue("tokenizer.ggml.tokens").TypeName, Is.EqualTo("array[string]"));
            Assert.That(m.GetValue("test.u8").Count, Is.EqualTo(1));
            Assert.That(m.GetValue("general.name").Count, Is.EqualTo(1));
            Assert.That(m.GetValue("general.name").ElementType, Is.Null);
        }
    }

    [Test]
    public void Metadata_StringsRoundTripAsUtf8()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_file.Metadata.GetString("general.architecture"), Is.EqualTo(SampleGguf.Architecture));
            Assert.That(_file.Metadata.GetString("general.name"), Is.EqualTo(SampleGguf.UnicodeText));
            Assert.That(_file.Metadata.GetString("test.empty_string"), Is.Empty);
            Assert.That(_file.Metadata.GetString("test.long_string"), Is.EqualTo(new string('x', 1000)));
        }
    }

    [Test]
    public void Metadata_LookUpByKeyAndByIndexAgree()
    {
        Assert.That(_file.Metadata.TryGetValue("test.i32", out GgufValue? byKey), Is.True);
        GgufMetadataEntry byIndex = _file.Metadata.First(e => e.Key == "test.i32");
        Assert.That(byIndex.Value.AsInt32(), Is.EqualTo(byKey!.AsInt32()));
        Assert.That(_file.Metadata.ContainsKey("test.i32"), Is.True);
        Assert.That(_file.Metadata.ContainsKey("test.absent"), Is.False);
        Assert.That(_file.Metadata.TryGetValue("test.absent", out GgufValue? absent), Is.False);
        Assert.That(absent, Is.Null);
    }

    [Test]
    public void Metadata_StringArrayRoundTrips()
    {
        GgufValue tokens = _file.Metadata.GetValue("tokenizer.ggml.tokens");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tokens.IsArray, Is.True);
            Assert.That(tokens.ElementType, Is.EqualTo(GgufValueType.String));
            Assert.That(tokens.Count, Is.EqualTo(SampleGguf.Tokens.Length));
            Assert.That(tokens.ToStringArray(), Is.EqualTo(SampleGguf.Tokens));
            Assert.That(_file.Metadata.GetStringArray("tokenizer.ggml.tokens"), Is.EqualTo(SampleGguf.Tokens));
            Assert.That(tokens[3].AsString(), Is.EqualTo("▁the"));
            Assert.That(tokens.GetElement(7).AsString(), Is.EqualTo("a\u0000b"));
            Assert.That(tokens.EnumerateElements().Select(e => e.AsString()), Is.EqualTo(SampleGguf.Tokens));
        }
    }

    [Test]
    public void Metadata_NumericArraysRoundTripExactly()
    {
        GgufMetadata m = _file.Metadata;
        float[] scores = m.GetArray<float>("tokenizer.ggml.scores");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scores, Is.EqualTo(SampleGguf.Scores));
            // -0 must stay negative zero: compare bits, not values.
            Assert.That(BitConverter.SingleToInt32Bits(scores[5]), Is.EqualTo(BitConverter.SingleToInt32Bits(-0f)));
            Assert.That(m.GetArray<int>("test.array.i32"), Is.EqualTo(SampleGguf.Int32s));
            Assert.That(m.GetArray<ulong>("test.array.u64"), Is.EqualTo(SampleGguf.UInt64s));
            Assert.That(m.GetArray<double>("test.array.f64"), Is.EqualTo(SampleGguf.Float64s));
            Assert.That(m.GetArray<bool>("test.array.bool"), Is.EqualTo(SampleGguf.Bools));
            Assert.That(m.GetArray<byte>("test.array.u8"), Is.EqualTo(SampleGguf.UInt8s));
            Assert.That(m.GetArray<short>("test.array.empty"), Is.Empty);
            Assert.That(m.GetValue("test.array.empty").ElementType, Is.EqualTo(GgufValueType.Int16));
            Assert.That(m.GetValue("test.array.i32")[1].AsInt32(), Is.EqualTo(-1));
            Assert.That(m.GetValue("test.array.bool")[0].AsBoolean(), Is.True);
        }
    }

    [Test]
    public void Metadata_CopyToReadsASubrange()
    {
        GgufValue ints = _file.Metadata.GetValue("test.array.i32");
        Span<int> middle = stackalloc int[3];
        ints.CopyTo(1, middle);
        Assert.That(middle.ToArray(), Is.EqualTo(SampleGguf.Int32s[1..4]));
        Assert.That(() => ints.CopyTo(3, new int[3]), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => ints.CopyTo(-1, new int[1]), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Metadata_ToStringShortensArrays()
    {
        GgufMetadata m = _file.Metadata;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.GetValue("test.u32").ToString(), Is.EqualTo("4000000000"));
            Assert.That(m.GetValue("test.f32").ToString(), Is.EqualTo("0.1"));
            Assert.That(m.GetValue("test.bool_true").ToString(), Is.EqualTo("true"));
            Assert.That(m.GetValue("general.architecture").ToString(), Is.EqualTo(SampleGguf.Architecture));
            Assert.That(m.GetValue("tokenizer.ggml.tokens").ToString(), Does.StartWith("[8 × string] \"<unk>\", \"<s>\", \"</s>\""));
            Assert.That(m.GetValue("test.array.long").ToString(), Does.StartWith("[100 × string] \"token0\"").And.EndWith(", …"));
            Assert.That(m.GetValue("test.array.empty").ToString(), Is.EqualTo("[0 × int16]"));
        }
    }

    [Test]
    public void Tensors_DescribeWhatWasDeclared()
    {
        IReadOnlyList<GgufTensorInfo> tensors = _file.Tensors;
        Assert.That(tensors.Select(t => t.Name), Is.EqualTo(SampleGguf.TensorSpecs.Select(s => s.Name)));
        foreach ((string name, GgufTensorType type, long[] shape) in SampleGguf.TensorSpecs)
        {
            GgufTensorInfo tensor = _file.GetTensor(name);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(tensor.Type, Is.EqualTo(type), name);
                Assert.That(tensor.Shape, Is.EqualTo(shape), name);
                Assert.That(tensor.GetShape(), Is.EqualTo(shape), name);
                Assert.That(tensor.ElementCount, Is.EqualTo(shape.Aggregate(1L, (a, b) => a * b)), name);
                Assert.That(tensor.ByteSize, Is.EqualTo(ExpectedByteSize(type, tensor.ElementCount)), name);
                Assert.That(tensor.FileOffset % 64, Is.Zero, name);
                Assert.That(tensor.FileOffset, Is.GreaterThanOrEqualTo(_file.DataOffset), name);
                Assert.That(tensor.FileOffset + tensor.ByteSize, Is.LessThanOrEqualTo(_file.FileSize), name);
            }
        }
    }

    [Test]
    public void Tensors_TypeNamesAreGgufNames()
    {
        Assert.That(
            _file.Tensors.Select(t => t.TypeName),
            Is.EqualTo(new[] { "f32", "f16", "bf16", "q8_0", "q4_0", "i32" }));
        Assert.That(_file.GetTensor("q4_0.weight").ToString(), Is.EqualTo("q4_0.weight q4_0 [32, 3, 2]"));
    }

    [Test]
    public void FindTensor_ReturnsTheSameDescriptionAsTheList()
    {
        Assert.That(_file.FindTensor("q8_0.weight"), Is.SameAs(_file.Tensors[3]));
        Assert.That(_file.FindTensor("no.such.tensor"), Is.Null);
    }

    [Test]
    public void ReadTensor_F32IsExact()
    {
        float[] expected = SampleGguf.Values("f32.weight", 24);
        Assert.That(_file.ReadTensor("f32.weight"), Is.EqualTo(expected));

        var destination = new float[30];
        Assert.That(_file.ReadTensor("f32.weight", destination), Is.EqualTo(24));
        Assert.That(destination[..24], Is.EqualTo(expected));
        Assert.That(destination[24..], Is.All.Zero);
    }

    // Bounds per format, for values in [-2, 2] (SampleGguf.Values):
    // F16: round to nearest, 11 significant bits: |error| <= |x|·2^-11 (2^-25 absolute in the subnormals).
    // BF16: round to nearest, 8 significant bits: |error| <= |x|·2^-8.
    // Q8_0: per block of 32, d = amax/127, q = round(x/d): |error| <= d/2, plus |q| <= 127 times the f16
    //       rounding of d (d·2^-11): d·(1/2 + 127/2048).
    // Q4_0: per block of 32, d = max/-8, q clamped to 0..15: |error| <= |d| (the clamped extreme), plus
    //       |q-8| <= 8 times the f16 rounding of d: |d|·(1 + 8/2048).
    [TestCase("f16.weight")]
    [TestCase("bf16.weight")]
    [TestCase("q8_0.weight")]
    [TestCase("q4_0.weight")]
    public void ReadTensor_ConvertedTypesStayWithinTheirBound(string name)
    {
        GgufTensorInfo tensor = _file.GetTensor(name);
        float[] original = SampleGguf.Values(name, tensor.ElementCount);
        float[] read = _file.ReadTensor(tensor);
        Assert.That(read, Has.Length.EqualTo(original.Length));

        for (int block = 0; block < original.Length; block += 32)
        {
            ReadOnlySpan<float> x = original.AsSpan(block, Math.Min(32, original.Length - block));
            float amax = 0;
            foreach (float v in x)
                amax = Math.Max(amax, Math.Abs(v));
            for (int i = 0; i < x.Length; i++)
            {
                double bound = tensor.Type switch
                {
                    GgufTensorType.F16 => Math.Max(Math.Abs(x[i]) * Math.Pow(2, -11), Math.Pow(2, -25)),
                    GgufTensorType.BF16 => Math.Abs(x[i]) * Math.Pow(2, -8),
                    GgufTensorType.Q8_0 => amax / 127.0 * (0.5 + 127.0 / 2048) + 1e-6,
                    GgufTensorType.Q4_0 => amax / 8.0 * (1 + 8.0 / 2048) + 1e-6,
                    _ => throw new AssertionException($"no bound for {tensor.Type}"),
                };
                double error = Math.Abs(read[block + i] - x[i]);
                Assert.That(error, Is.LessThanOrEqualTo(bound), $"{name}[{block + i}]: wrote {x[i]}, read {read[block + i]}");
            }
        }
    }

    [Test]
    public void ReadTensor_RejectsAShortDestination()
    {
        Assert.That(() => _file.ReadTensor("f32.weight", new float[23]), Throws.ArgumentException);
    }

    [Test]
    public void ReadTensor_OfATypeWithoutConversion_IsUnsupported()
    {
        var error = Assert.Throws<PixelLmUnsupportedException>(() => _file.ReadTensor("i32.raw"));
        Assert.That(error!.Status, Is.EqualTo(PixelLmStatus.Unsupported));
        Assert.That(error.NativeMessage, Is.Not.Empty);
    }

    [Test]
    public void GetTensorData_IsTheStoredBytes()
    {
        float[] f32 = SampleGguf.Values("f32.weight", 24);
        Assert.That(_file.GetTensorData("f32.weight").ToArray(), Is.EqualTo(MemoryMarshal.AsBytes(f32.AsSpan()).ToArray()));
        Assert.That(
            _file.GetTensorData("i32.raw").ToArray(),
            Is.EqualTo(MemoryMarshal.AsBytes(SampleGguf.RawInt32Tensor.AsSpan()).ToArray()));

        // F16 and BF16 storage is the round-to-nearest-even encoding of each value.
        Half[] f16 = SampleGguf.Values("f16.weight", 32).Select(v => (Half)v).ToArray();
        Assert.That(_file.GetTensorData("f16.weight").ToArray(), Is.EqualTo(MemoryMarshal.AsBytes(f16.AsSpan()).ToArray()));
        ushort[] bf16 = SampleGguf.Values("bf16.weight", 32).Select(ToBFloat16).ToArray();
        Assert.That(_file.GetTensorData("bf16.weight").ToArray(), Is.EqualTo(MemoryMarshal.AsBytes(bf16.AsSpan()).ToArray()));
    }

    [Test]
    public void GetTensorData_ViewsTheFileAtTheTensorOffset()
    {
        byte[] file = File.ReadAllBytes(_path);
        foreach (GgufTensorInfo tensor in _file.Tensors)
        {
            ReadOnlySpan<byte> data = _file.GetTensorData(tensor);
            Assert.That(data.Length, Is.EqualTo(tensor.ByteSize), tensor.Name);
            Assert.That(data.SequenceEqual(file.AsSpan((int)tensor.FileOffset, (int)tensor.ByteSize)), Is.True, tensor.Name);
        }
    }

    [Test]
    public void Load_FromMemory_SeesTheSameFile()
    {
        byte[] bytes = File.ReadAllBytes(_path);
        using GgufFile loaded = GgufFile.Load(bytes);
        Array.Clear(bytes); // the library copied them

        using (Assert.EnterMultipleScope())
        {
            Assert.That(loaded.Path, Is.Null);
            Assert.That(loaded.Version, Is.EqualTo(_file.Version));
            Assert.That(loaded.FileSize, Is.EqualTo(_file.FileSize));
            Assert.That(loaded.DataOffset, Is.EqualTo(_file.DataOffset));
            Assert.That(loaded.Metadata.Keys, Is.EqualTo(_file.Metadata.Keys));
            Assert.That(loaded.Metadata.GetStringArray("tokenizer.ggml.tokens"), Is.EqualTo(SampleGguf.Tokens));
            Assert.That(loaded.Metadata.GetString("general.name"), Is.EqualTo(SampleGguf.UnicodeText));
            Assert.That(loaded.Tensors.Select(t => t.ToString()), Is.EqualTo(_file.Tensors.Select(t => t.ToString())));
            Assert.That(loaded.ReadTensor("q4_0.weight"), Is.EqualTo(_file.ReadTensor("q4_0.weight")));
            Assert.That(loaded.GetTensorData("q8_0.weight").ToArray(), Is.EqualTo(_file.GetTensorData("q8_0.weight").ToArray()));
        }
    }

    [Test]
    public void Open_WithoutMemoryMapping_ReadsTheSame()
    {
        using GgufFile copy = GgufFile.Open(_path, new GgufOpenOptions { UseMemoryMap = false });
        Assert.That(copy.ReadTensor("f32.weight"), Is.EqualTo(_file.ReadTensor("f32.weight")));
        Assert.That(copy.Metadata.GetString("general.architecture"), Is.EqualTo(SampleGguf.Architecture));
    }

    private static long ExpectedByteSize(GgufTensorType type, long elements) => type switch
    {
        GgufTensorType.F32 or GgufTensorType.I32 => elements * 4,
        GgufTensorType.F16 or GgufTensorType.BF16 => elements * 2,
        GgufTensorType.Q8_0 => elements / 32 * 34, // f16 scale + 32 int8
        GgufTensorType.Q4_0 => elements / 32 * 18, // f16 scale + 16 bytes of nibbles
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }
}
