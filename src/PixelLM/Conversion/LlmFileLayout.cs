using PixelLM.Gguf;

namespace PixelLM.Conversion;

/// <summary>
/// The LLM file in llama.cpp's <c>llama</c> layout: its tensor names, types and metadata, so that
/// llama.cpp itself can load the file.
/// </summary>
internal static class LlmFileLayout
{
    /// <summary>The GGUF name of a checkpoint LLaMA tensor.</summary>
    internal static string GgufName(string name)
    {
        switch (name)
        {
            case "model.embed_tokens.weight": return "token_embd.weight";
            case "model.norm.weight": return "output_norm.weight";
            case "lm_head.weight": return "output.weight";
        }

        // model.layers.{i}.{module}.weight
        string rest = name["model.layers.".Length..];
        int dot = rest.IndexOf('.');
        string block = $"blk.{rest[..dot]}.";
        string module = rest[(dot + 1)..];
        return block + module switch
        {
            "input_layernorm.weight" => "attn_norm.weight",
            "self_attn.q_proj.weight" => "attn_q.weight",
            "self_attn.k_proj.weight" => "attn_k.weight",
            "self_attn.v_proj.weight" => "attn_v.weight",
            "self_attn.o_proj.weight" => "attn_output.weight",
            "post_attention_layernorm.weight" => "ffn_norm.weight",
            "mlp.gate_proj.weight" => "ffn_gate.weight",
            "mlp.up_proj.weight" => "ffn_up.weight",
            "mlp.down_proj.weight" => "ffn_down.weight",
            _ => throw new ArgumentException($"'{name}' is not a LLaMA tensor.", nameof(name)),
        };
    }

    /// <summary>
    /// Plans one LLaMA tensor: norms F32, matrices <paramref name="type"/>; a quantized type falls back to
    /// F16 for a row length that is not a multiple of the 32-element block (as llama.cpp's converter does).
    /// </summary>
    internal static PlannedTensor Plan(CheckpointTensor source, GgufTensorType type)
    {
        long[] shape = source.Shape.Reverse().ToArray();
        string name = GgufName(source.Name);
        TensorTransform transform = source.Name.EndsWith("q_proj.weight", StringComparison.Ordinal) ? TensorTransform.RopeQ
            : source.Name.EndsWith("k_proj.weight", StringComparison.Ordinal) ? TensorTransform.RopeK
            : TensorTransform.None;
        if (shape.Length == 1)
            return new PlannedTensor(name, GgufTensorType.F32, shape, source, transform, true, null);
        if (type is GgufTensorType.Q8_0 or GgufTensorType.Q4_0 && shape[0] % 32 != 0)
        {
            string note = $"{name}: row length {shape[0]} is not a multiple of 32; stored as F16 instead of {type}";
            return new PlannedTensor(name, GgufTensorType.F16, shape, source, transform, true, note);
        }

        return new PlannedTensor(name, type, shape, source, transform, true, null);
    }

    /// <summary>llama.cpp's <c>general.file_type</c> (LLAMA_FTYPE) for the matrices' type.</summary>
    internal static uint FileType(GgufTensorType type) => type switch
    {
        GgufTensorType.F32 => 0,
        GgufTensorType.F16 => 1,
        GgufTensorType.Q4_0 => 2,
        GgufTensorType.Q8_0 => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Writes the <c>general.*</c>, <c>llama.*</c> and <c>tokenizer.ggml.*</c> metadata.</summary>
    internal static void WriteMetadata(GgufWriter writer, PixelLmCheckpointConfig cfg, LlamaVocabulary vocab, string name, GgufTensorType type)
    {
        writer.SetString("general.architecture", "llama");
        writer.SetString("general.name", name);
        writer.SetUInt32("general.file_type", FileType(type));
        writer.SetUInt32("llama.context_length", (uint)cfg.ContextLength);
        writer.SetUInt32("llama.embedding_length", (uint)cfg.HiddenSize);
        writer.SetUInt32("llama.block_count", (uint)cfg.LayerCount);
        writer.SetUInt32("llama.feed_forward_length", (uint)cfg.IntermediateSize);
        writer.SetUInt32("llama.attention.head_count", (uint)cfg.HeadCount);
        writer.SetUInt32("llama.attention.head_count_kv", (uint)cfg.HeadCountKv);
        writer.SetUInt32("llama.rope.dimension_count", (uint)cfg.HeadDim);
        writer.SetFloat32("llama.rope.freq_base", PixelLmConstants.RopeFreqBase);
        writer.SetFloat32("llama.attention.layer_norm_rms_epsilon", (float)cfg.RmsNormEps);
        writer.SetUInt32("llama.vocab_size", (uint)vocab.Tokens.Length);
        writer.SetString("tokenizer.ggml.model", "llama");
        writer.SetStringArray("tokenizer.ggml.tokens", vocab.Tokens);
        writer.SetArray<float>("tokenizer.ggml.scores", vocab.Scores);
        writer.SetArray<int>("tokenizer.ggml.token_type", vocab.Types);
        writer.SetUInt32("tokenizer.ggml.bos_token_id", PixelLmConstants.BosId);
        writer.SetUInt32("tokenizer.ggml.eos_token_id", PixelLmConstants.EosId);
        writer.SetUInt32("tokenizer.ggml.unknown_token_id", PixelLmConstants.UnknownId);
        writer.SetUInt32("tokenizer.ggml.padding_token_id", PixelLmConstants.PaddingId);
        writer.SetBoolean("tokenizer.ggml.add_bos_token", true);
        writer.SetBoolean("tokenizer.ggml.add_eos_token", false);
    }
}
