using PixelLM.Gguf;

namespace PixelLM.Tests.Support;

/// <summary>
/// Writes a tiny LLaMA GGUF (width 64, 4 heads of 16 with 2 kv heads, 2 layers, FFN 96, 48 tokens) with
/// deterministic random weights in Q8_0, Q4_0, F16 and F32, for the language-model tests.
/// </summary>
internal static class TinyLlamaGguf
{
    internal const int Vocabulary = 48;
    internal const int Width = 64;

    internal static void Write(string path, uint seed = 5)
    {
        using var writer = new GgufWriter();
        writer.SetString("general.architecture", "llama");
        writer.SetUInt32("llama.embedding_length", Width);
        writer.SetUInt32("llama.block_count", 2);
        writer.SetUInt32("llama.attention.head_count", 4);
        writer.SetUInt32("llama.attention.head_count_kv", 2);
        writer.SetUInt32("llama.feed_forward_length", 96);
        writer.SetUInt32("llama.context_length", 64);
        writer.SetFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        var tokens = new string[Vocabulary];
        for (int i = 0; i < tokens.Length; i++)
            tokens[i] = "t" + i;
        writer.SetStringArray("tokenizer.ggml.tokens", tokens);

        var tensors = new List<(string Name, GgufTensorType Type, long[] Shape)>
        {
            ("token_embd.weight", GgufTensorType.Q8_0, [Width, Vocabulary]),
        };
        for (int layer = 0; layer < 2; layer++)
        {
            string p = $"blk.{layer}.";
            tensors.Add((p + "attn_norm.weight", GgufTensorType.F32, [Width]));
            tensors.Add((p + "attn_q.weight", GgufTensorType.Q4_0, [Width, 64]));
            tensors.Add((p + "attn_k.weight", GgufTensorType.Q8_0, [Width, 32]));
            tensors.Add((p + "attn_v.weight", GgufTensorType.F16, [Width, 32]));
            tensors.Add((p + "attn_output.weight", GgufTensorType.F32, [64, Width]));
            tensors.Add((p + "ffn_norm.weight", GgufTensorType.F32, [Width]));
            tensors.Add((p + "ffn_gate.weight", GgufTensorType.Q4_0, [Width, 96]));
            tensors.Add((p + "ffn_up.weight", GgufTensorType.Q4_0, [Width, 96]));
            tensors.Add((p + "ffn_down.weight", GgufTensorType.Q8_0, [96, Width]));
        }
        tensors.Add(("output_norm.weight", GgufTensorType.F32, [Width]));
        tensors.Add(("output.weight", GgufTensorType.Q8_0, [Width, Vocabulary]));

        foreach ((string name, GgufTensorType type, long[] shape) in tensors)
            writer.AddTensor(name, type, shape);
        writer.Begin(path);
        var random = new Random((int)seed);
        foreach ((_, _, long[] shape) in tensors)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[count];
            bool norm = shape.Length == 1;
            for (long i = 0; i < count; i++)
                values[i] = norm ? 1.0f + 0.1f * (float)(random.NextDouble() - 0.5) : 0.5f * (float)(random.NextDouble() - 0.5);
            writer.WriteTensor(values);
        }
        writer.Finish();
    }
}
