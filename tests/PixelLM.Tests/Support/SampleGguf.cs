using PixelLM.Gguf;

namespace PixelLM.Tests.Support;

/// <summary>
/// A small GGUF file written with <see cref="GgufWriter"/>: every metadata type, arrays of each kind
/// (numeric, bool, string, nested, empty), and tensors of the convertible types (F32, F16, BF16, Q8_0,
/// Q4_0) plus one raw I32 tensor written as bytes. The expected values live here beside the writer.
/// </summary>
internal static class SampleGguf
{
    public const string Architecture = "pixellm-test";
    public const string UnicodeText = "héllo → wörld 🌍 \"quoted\"\nnew line";

    public static readonly string[] Tokens = ["<unk>", "<s>", "</s>", "▁the", "é", "🌍", "", "a\u0000b"];
    public static readonly float[] Scores = [0f, -1.5f, 2.25f, float.MaxValue, float.Epsilon, -0f];
    public static readonly int[] Int32s = [int.MinValue, -1, 0, 1, int.MaxValue];
    public static readonly ulong[] UInt64s = [0, 1, ulong.MaxValue];
    public static readonly double[] Float64s = [Math.PI, -Math.E, 1e300];
    public static readonly bool[] Bools = [true, false, true];
    public static readonly byte[] UInt8s = [0, 127, 255];

    // Tensors: name, type, shape (innermost first).
    public static readonly (string Name, GgufTensorType Type, long[] Shape)[] TensorSpecs =
    [
        ("f32.weight", GgufTensorType.F32, [8, 3]),
        ("f16.weight", GgufTensorType.F16, [16, 2]),
        ("bf16.weight", GgufTensorType.BF16, [16, 2]),
        ("q8_0.weight", GgufTensorType.Q8_0, [64, 2]),
        ("q4_0.weight", GgufTensorType.Q4_0, [32, 3, 2]),
        ("i32.raw", GgufTensorType.I32, [5]),
    ];

    public static readonly int[] RawInt32Tensor = [1, -2, 3, int.MaxValue, int.MinValue];

    /// <summary>Deterministic values for a tensor of <paramref name="count"/> elements.</summary>
    public static float[] Values(string name, long count)
    {
        // string.GetHashCode is randomized per process; a fixed seed per name keeps runs identical.
        int seed = 12345;
        foreach (char c in name)
            seed = unchecked(seed * 31 + c);
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 4 - 2);
        return values;
    }

    /// <summary>Writes the sample to <paramref name="path"/>.</summary>
    public static void Write(string path)
    {
        using var writer = new GgufWriter();
        writer.SetString("general.architecture", Architecture);
        writer.SetString("general.name", UnicodeText);
        writer.SetUInt32("general.alignment", 64);
        writer.SetUInt8("test.u8", 200);
        writer.SetInt8("test.i8", -100);
        writer.SetUInt16("test.u16", 60000);
        writer.SetInt16("test.i16", -30000);
        writer.SetUInt32("test.u32", 4_000_000_000);
        writer.SetInt32("test.i32", -2_000_000_000);
        writer.SetUInt64("test.u64", ulong.MaxValue);
        writer.SetInt64("test.i64", long.MinValue);
        writer.SetFloat32("test.f32", 0.1f);
        writer.SetFloat64("test.f64", 0.1);
        writer.SetBoolean("test.bool_true", true);
        writer.SetBoolean("test.bool_false", false);
        writer.SetString("test.empty_string", string.Empty);
        writer.SetString("test.long_string", new string('x', 1000));
        writer.SetStringArray("tokenizer.ggml.tokens", Tokens);
        writer.SetArray<float>("tokenizer.ggml.scores", Scores);
        writer.SetArray<int>("test.array.i32", Int32s);
        writer.SetArray<ulong>("test.array.u64", UInt64s);
        writer.SetArray<double>("test.array.f64", Float64s);
        writer.SetArray<bool>("test.array.bool", Bools);
        writer.SetArray<byte>("test.array.u8", UInt8s);
        writer.SetArray<short>("test.array.empty", []);
        writer.SetStringArray("test.array.long", Enumerable.Range(0, 100).Select(i => $"token{i}").ToArray());

        foreach ((string name, GgufTensorType type, long[] shape) in TensorSpecs)
            writer.AddTensor(name, type, shape);

        writer.Begin(path);
        foreach ((string name, GgufTensorType type, long[] shape) in TensorSpecs)
        {
            if (type == GgufTensorType.I32)
                writer.WriteTensor(System.Runtime.InteropServices.MemoryMarshal.AsBytes(RawInt32Tensor.AsSpan()));
            else
                writer.WriteTensor(Values(name, shape.Aggregate(1L, (a, b) => a * b)));
        }

        writer.Finish();
    }
}
