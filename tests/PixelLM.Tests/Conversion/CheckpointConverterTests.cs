using NUnit.Framework;
using PixelLM.Conversion;
using PixelLM.Gguf;

namespace PixelLM.Tests.Conversion;

/// <summary>
/// <c>CheckpointConverter</c> on tiny checkpoints the PyTorch reference builds: every converted tensor
/// against the checkpoint, the metadata, the vocabulary and the stretched position table against the reference.
/// </summary>
[TestFixture]
public sealed class CheckpointConverterTests
{
    [Test]
    public void F32_LlmTensorsEqualCheckpointAfterInverseRopePermutation()
    {
        string outDir = Convert(TinyCheckpoints.Safetensors, GgufTensorType.F32, GgufTensorType.F32);
        using var weights = CheckpointWeights.Open(TinyCheckpoints.Safetensors);
        using GgufFile llm = GgufFile.Open(Path.Combine(outDir, "llm.gguf"));

        Assert.That(llm.Tensors, Has.Count.EqualTo(2 + (9 * 2) + 1));
        foreach ((string hfName, CheckpointTensor source) in weights.Tensors.Where(t => IsLlm(t.Key)))
        {
            string name = LlmFileLayout.GgufName(hfName);
            GgufTensorInfo info = llm.GetTensor(name);
            Assert.That(info.Type, Is.EqualTo(GgufTensorType.F32), name);
            Assert.That(info.Shape, Is.EqualTo(source.Shape.Reverse().ToArray()), name);
            float[] stored = llm.ReadTensor(info);
            if (hfName.EndsWith("q_proj.weight", StringComparison.Ordinal) || hfName.EndsWith("k_proj.weight", StringComparison.Ordinal))
                stored = FromInterleaved(stored, heads: 4, headDim: 16, rowLength: 64);
            Assert.That(stored, Is.EqualTo(Read(source)), name);
        }
    }

    [Test]
    public void RopePermutation_MovesHalvesToInterleavedPairs()
    {
        // One head of width 4, rows r0..r3 (HF: pairs (r0, r2), (r1, r3)) -> llama.cpp order r0, r2, r1, r3.
        float[] weight = [0, 0, 1, 1, 2, 2, 3, 3];
        var result = new float[weight.Length];
        RopeRowOrder.ToInterleaved(weight, heads: 1, headDim: 4, rowLength: 2, result);
        Assert.That(result, Is.EqualTo(new float[] { 0, 0, 2, 2, 1, 1, 3, 3 }));
    }

    [TestCase(GgufTensorType.Q8_0)]
    [TestCase(GgufTensorType.Q4_0)]
    public void Quantized_LlmMatricesEqualTheNativeQuantizerOfTheF32Weights(GgufTensorType type)
    {
        string f32Dir = Convert(TinyCheckpoints.Safetensors, GgufTensorType.F32, GgufTensorType.F32);
        string quantDir = Convert(TinyCheckpoints.Safetensors, type, GgufTensorType.F16);
        using GgufFile f32 = GgufFile.Open(Path.Combine(f32Dir, "llm.gguf"));
        using GgufFile quant = GgufFile.Open(Path.Combine(quantDir, "llm.gguf"));

        Assert.That(quant.Metadata.GetUInt32("general.file_type"), Is.EqualTo(type == GgufTensorType.Q8_0 ? 7u : 2u));
        string expectedPath = Path.Combine(quantDir, "expected.gguf");
        using (var writer = new GgufWriter())
        {
            List<GgufTensorInfo> tensors = f32.Tensors.ToList();
            foreach (GgufTensorInfo t in tensors)
                writer.AddTensor(t.Name, t.Shape.Count == 1 ? GgufTensorType.F32 : type, [.. t.Shape]);
            writer.Begin(expectedPath);
            foreach (GgufTensorInfo t in tensors)
                writer.WriteTensor(f32.ReadTensor(t));
            writer.Finish();
        }

        using GgufFile expected = GgufFile.Open(expectedPath);
        foreach (GgufTensorInfo t in expected.Tensors)
        {
            GgufTensorInfo actual = quant.GetTensor(t.Name);
            Assert.That(actual.Type, Is.EqualTo(t.Type), t.Name);
            Assert.That(quant.GetTensorData(actual).SequenceEqual(expected.GetTensorData(t)), Is.True, t.Name);
        }
    }

    [Test]
    public void LlmMetadata_IsLlamaCppLayoutWithTheFullVocabulary()
    {
        string outDir = Convert(TinyCheckpoints.Safetensors, GgufTensorType.Q8_0, GgufTensorType.F16);
        using GgufFile llm = GgufFile.Open(Path.Combine(outDir, "llm.gguf"));
        GgufMetadata m = llm.Metadata;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.GetString("general.architecture"), Is.EqualTo("llama"));
            Assert.That(m.GetString("general.name"), Is.EqualTo("pixellm"));
            Assert.That(m.GetUInt32("llama.context_length"), Is.EqualTo(2048));
            Assert.That(m.GetUInt32("llama.embedding_length"), Is.EqualTo(64));
            Assert.That(m.GetUInt32("llama.block_count"), Is.EqualTo(2));
            Assert.That(m.GetUInt32("llama.feed_forward_length"), Is.EqualTo(192));
            Assert.That(m.GetUInt32("llama.attention.head_count"), Is.EqualTo(4));
            Assert.That(m.GetUInt32("llama.attention.head_count_kv"), Is.EqualTo(4));
            Assert.That(m.GetUInt32("llama.rope.dimension_count"), Is.EqualTo(16));
            Assert.That(m.GetFloat32("llama.rope.freq_base"), Is.EqualTo(10000f));
            Assert.That(m.GetFloat32("llama.attention.layer_norm_rms_epsilon"), Is.EqualTo(1e-6f));
            Assert.That(m.GetUInt32("llama.vocab_size"), Is.EqualTo(32009));
            Assert.That(m.GetString("tokenizer.ggml.model"), Is.EqualTo("llama"));
            Assert.That(m.GetUInt32("tokenizer.ggml.bos_token_id"), Is.EqualTo(1));
            Assert.That(m.GetUInt32("tokenizer.ggml.eos_token_id"), Is.EqualTo(2));
            Assert.That(m.GetUInt32("tokenizer.ggml.unknown_token_id"), Is.Zero);
            Assert.That(m.GetUInt32("tokenizer.ggml.padding_token_id"), Is.Zero);
            Assert.That(m.GetBoolean("tokenizer.ggml.add_bos_token"), Is.True);
            Assert.That(m.GetBoolean("tokenizer.ggml.add_eos_token"), Is.False);
        }

        string[] tokens = m.GetStringArray("tokenizer.ggml.tokens");
        float[] scores = m.GetArray<float>("tokenizer.ggml.scores");
        int[] types = m.GetArray<int>("tokenizer.ggml.token_type");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tokens, Has.Length.EqualTo(32009));
            Assert.That(scores, Has.Length.EqualTo(32009));
            Assert.That(types, Has.Length.EqualTo(32009));
            Assert.That((tokens[0], types[0]), Is.EqualTo(("<unk>", 2)));
            Assert.That((tokens[1], types[1]), Is.EqualTo(("<s>", 3)));
            Assert.That((tokens[2], types[2]), Is.EqualTo(("</s>", 3)));
            Assert.That((tokens[3], types[3]), Is.EqualTo(("<0x00>", 6)));
            Assert.That((tokens[29871], types[29871]), Is.EqualTo(("\u2581", 1)));
            Assert.That(scores[29871], Is.LessThan(0));
            Assert.That(tokens[32000..], Is.EqualTo(new[] { "<im_patch>", "<im_start>", "<im_end>", "[SEG0]", "[SEG1]", "[SEG2]", "[SEG3]", "[SEG4]", "[SEG5]" }));
            Assert.That(types[32000..], Is.All.EqualTo(4));
            Assert.That(scores[32000..], Is.All.Zero);
        }
    }

    [Test]
    public void PixelFile_HoldsTheCheckpointTensorsTheStretchedTableAndEveryHyperParameter()
    {
        string outDir = Convert(TinyCheckpoints.Safetensors, GgufTensorType.F16, GgufTensorType.F32);
        string clipDir = Path.Combine(Path.GetDirectoryName(TinyCheckpoints.Safetensors)!, "clip-vit");
        using var weights = CheckpointWeights.Open(TinyCheckpoints.Safetensors);
        using var clip = CheckpointWeights.Open(clipDir);
        using GgufFile pixel = GgufFile.Open(Path.Combine(outDir, "pixel.gguf"));

        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string hfName, CheckpointTensor source) in weights.Tensors.Where(t => !IsLlm(t.Key) && !IsUnused(t.Key)))
        {
            string name = hfName["model.".Length..];
            expectedNames.Add(name);
            Assert.That(pixel.ReadTensor(name), Is.EqualTo(Read(source)), name);
        }

        foreach ((string name, CheckpointTensor source) in clip.Tensors.Where(t => t.Key.StartsWith("vision_model.", StringComparison.Ordinal)
                     && t.Key != "vision_model.embeddings.position_embedding.weight"))
        {
            expectedNames.Add(name);
            Assert.That(pixel.ReadTensor(name), Is.EqualTo(Read(source)), name);
        }

        expectedNames.Add("vision_model.embeddings.position_embedding.weight");
        Assert.That(pixel.Tensors.Select(t => t.Name), Is.EquivalentTo(expectedNames));

        GgufTensorInfo table = pixel.GetTensor("vision_model.embeddings.position_embedding.weight");
        Assert.That(table.Shape, Is.EqualTo(new long[] { 64, 1025 }));
        using (var golden = CheckpointWeights.Open(TinyCheckpoints.PositionTable))
        {
            float[] expected = Read(golden.Tensors["position_table"]);
            float[] actual = pixel.ReadTensor(table);
            double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.That(worst, Is.LessThanOrEqualTo(1e-6), "max |converter - reference| of the stretched position table");
        }

        GgufMetadata m = pixel.Metadata;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.GetString("general.architecture"), Is.EqualTo("pixellm"));
            Assert.That(m.GetUInt32("pixellm.vision.image_size"), Is.EqualTo(448));
            Assert.That(m.GetUInt32("pixellm.vision.patch_size"), Is.EqualTo(14));
            Assert.That(m.GetUInt32("pixellm.vision.embedding_length"), Is.EqualTo(64));
            Assert.That(m.GetUInt32("pixellm.vision.block_count"), Is.EqualTo(12));
            Assert.That(m.GetUInt32("pixellm.vision.attention.head_count"), Is.EqualTo(4));
            Assert.That(m.GetUInt32("pixellm.vision.feed_forward_length"), Is.EqualTo(256));
            Assert.That(m.GetFloat32("pixellm.vision.attention.layer_norm_epsilon"), Is.EqualTo(1e-5f));
            Assert.That(m.GetUInt32("pixellm.vision.original_grid"), Is.EqualTo(24));
            Assert.That(m.GetUInt32("pixellm.vision.grid"), Is.EqualTo(32));
            Assert.That(m.GetInt32("pixellm.vision.select_layer_deep"), Is.EqualTo(-2));
            Assert.That(m.GetInt32("pixellm.vision.select_layer_mid"), Is.EqualTo(-11));
            Assert.That(m.GetString("pixellm.vision.hidden_act"), Is.EqualTo("quick_gelu"));
            Assert.That(m.GetArray<float>("pixellm.vision.image_mean"), Is.EqualTo(new[] { 123.675f, 116.28f, 103.53f }));
            Assert.That(m.GetArray<float>("pixellm.vision.image_std"), Is.EqualTo(new[] { 58.395f, 57.12f, 57.375f }));
            Assert.That(m.GetUInt32("pixellm.projector.input_length"), Is.EqualTo(64));
            Assert.That(m.GetUInt32("pixellm.projector.hidden_length"), Is.EqualTo(128));
            Assert.That(m.GetUInt32("pixellm.projector.output_length"), Is.EqualTo(64));
            Assert.That(m.GetUInt32("pixellm.projector.image_grid"), Is.EqualTo(16));
            Assert.That(m.GetUInt32("pixellm.llm.embedding_length"), Is.EqualTo(64));
            Assert.That(m.GetUInt32("pixellm.llm.vocab_size"), Is.EqualTo(32009));
            Assert.That(m.GetArray<uint>("pixellm.token.seg_ids"), Is.EqualTo(new uint[] { 32003, 32004, 32005, 32006, 32007, 32008 }));
            Assert.That(m.GetUInt32("pixellm.token.im_start_id"), Is.EqualTo(32001));
            Assert.That(m.GetUInt32("pixellm.token.im_end_id"), Is.EqualTo(32002));
            Assert.That(m.GetUInt32("pixellm.seg_token_num"), Is.EqualTo(3));
            Assert.That(m.GetUInt32("pixellm.image_feature_scale_num"), Is.EqualTo(2));
            Assert.That(m.GetUInt32("pixellm.decoder.embedding_length"), Is.EqualTo(64));
            Assert.That(m.GetUInt32("pixellm.decoder.feed_forward_length"), Is.EqualTo(128));
            Assert.That(m.GetUInt32("pixellm.decoder.attention.head_count"), Is.EqualTo(8));
            Assert.That(m.GetUInt32("pixellm.decoder.block_count"), Is.EqualTo(2));
            Assert.That(m.GetUInt32("pixellm.decoder.attention.downsample_rate"), Is.EqualTo(2));
            Assert.That(m.GetUInt32("pixellm.decoder.num_multimask_outputs"), Is.EqualTo(3));
            Assert.That(m.GetFloat32("pixellm.decoder.layer_norm_epsilon"), Is.EqualTo(1e-5f));
            Assert.That(m.GetFloat32("pixellm.decoder.layer_norm2d_epsilon"), Is.EqualTo(1e-6f));
            Assert.That(m.GetArray<float>("pixellm.fusion.multiseg_scalar"), Is.EqualTo(new[] { 1f / 3, 1f / 3, 1f / 3 }));
            Assert.That(m.GetArray<float>("pixellm.fusion.multiscale_scalar"), Is.EqualTo(new[] { 0.5f, 0.5f }));
        }
    }

    [Test]
    public void VisionTypeF16_AppliesToMatricesAndConvKernelsOnly()
    {
        string outDir = Convert(TinyCheckpoints.Safetensors, GgufTensorType.F16, GgufTensorType.F16);
        using GgufFile pixel = GgufFile.Open(Path.Combine(outDir, "pixel.gguf"));

        using (Assert.EnterMultipleScope())
        {
            foreach (string name in new[] { "mm_projector.0.weight", "image_feature_neck.2.weight", "mask_decoder.output_upscaling.0.weight",
                         "vision_model.embeddings.patch_embedding.weight", "vision_model.encoder.layers.0.mlp.fc1.weight" })
                Assert.That(pixel.GetTensor(name).Type, Is.EqualTo(GgufTensorType.F16), name);
            foreach (string name in new[] { "mm_projector.0.bias", "image_feature_neck.1.weight", "mask_decoder.iou_token.weight",
                         "mask_decoder.mask_tokens.weight", "mask_decoder.level_embed.weight", "prompt_encoder.no_mask_embed.weight",
                         "prompt_encoder.pe_layer.positional_encoding_gaussian_matrix", "vision_model.embeddings.class_embedding",
                         "vision_model.embeddings.position_embedding.weight", "vision_model.pre_layrnorm.weight" })
                Assert.That(pixel.GetTensor(name).Type, Is.EqualTo(GgufTensorType.F32), name);
        }
    }

    [Test]
    public void ShardedBinWithMixedDtypes_ConvertsEveryTensorExactly()
    {
        string outDir = Convert(TinyCheckpoints.BinSharded, GgufTensorType.F32, GgufTensorType.F32);
        using var weights = CheckpointWeights.Open(TinyCheckpoints.BinSharded);
        using GgufFile llm = GgufFile.Open(Path.Combine(outDir, "llm.gguf"));
        using GgufFile pixel = GgufFile.Open(Path.Combine(outDir, "pixel.gguf"));

        Assert.That(weights.Tensors["model.embed_tokens.weight"].DType, Is.EqualTo(CheckpointDType.BF16));
        Assert.That(weights.Tensors["model.mask_decoder.iou_token.weight"].DType, Is.EqualTo(CheckpointDType.F32));
        Assert.That(llm.ReadTensor("output_norm.weight"), Is.EqualTo(Read(weights.Tensors["model.norm.weight"])));
        Assert.That(llm.ReadTensor("blk.1.ffn_down.weight"), Is.EqualTo(Read(weights.Tensors["model.layers.1.mlp.down_proj.weight"])));
        Assert.That(pixel.ReadTensor("mm_projector.2.weight"), Is.EqualTo(Read(weights.Tensors["model.mm_projector.2.weight"])));
        Assert.That(pixel.ReadTensor("mask_decoder.iou_token.weight"), Is.EqualTo(Read(weights.Tensors["model.mask_decoder.iou_token.weight"])));
    }

    [Test]
    public void BinAndSafetensorsOfTheSameWeights_ConvertToTheSameTensors()
    {
        // Two independent readers (zip + restricted pickle, safetensors) of what torch wrote from the same seed.
        string fromSafetensors = Convert(TinyCheckpoints.Safetensors, GgufTensorType.Q4_0, GgufTensorType.F16);
        string fromBin = Convert(TinyCheckpoints.BinSingle, GgufTensorType.Q4_0, GgufTensorType.F16);
        foreach (string file in new[] { "llm.gguf", "pixel.gguf" })
        {
            using GgufFile a = GgufFile.Open(Path.Combine(fromSafetensors, file));
            using GgufFile b = GgufFile.Open(Path.Combine(fromBin, file));
            Assert.That(b.Tensors.Select(t => t.Name), Is.EqualTo(a.Tensors.Select(t => t.Name)), file);
            foreach (GgufTensorInfo t in a.Tensors)
                Assert.That(b.GetTensorData(t.Name).SequenceEqual(a.GetTensorData(t)), Is.True, $"{file}: {t.Name}");
        }
    }

    [Test]
    public void Progress_ReportsEveryTensorInOrder_AndCancellationLeavesNothing()
    {
        var reports = new List<ConversionProgress>();
        string outDir = TinyCheckpoints.Temp.File("progress-" + Guid.NewGuid().ToString("N"));
        CheckpointConverter.Convert(Options(TinyCheckpoints.Safetensors, outDir, GgufTensorType.F16, GgufTensorType.F16), new ListProgress(reports.Add));

        Assert.That(reports.Select(r => r.Index), Is.EqualTo(Enumerable.Range(1, reports.Count)));
        Assert.That(reports[^1].BytesWritten, Is.EqualTo(reports[^1].TotalBytes));
        Assert.That(reports[0].FileName, Is.EqualTo("llm.gguf"));
        Assert.That(reports[^1].FileName, Is.EqualTo("pixel.gguf"));

        string cancelled = TinyCheckpoints.Temp.File("cancelled-" + Guid.NewGuid().ToString("N"));
        using var source = new CancellationTokenSource();
        Assert.That(
            () => CheckpointConverter.Convert(Options(TinyCheckpoints.Safetensors, cancelled, GgufTensorType.F16, GgufTensorType.F16),
                new ListProgress(r => { if (r.Index == 5) source.Cancel(); }), source.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Directory.Exists(cancelled), Is.False);
    }

    [Test]
    public void ExistingOutputFiles_AreReplaced()
    {
        string outDir = TinyCheckpoints.Temp.File("replace-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "llm.gguf"), "old");
        File.WriteAllText(Path.Combine(outDir, "pixel.gguf"), "old");
        CheckpointConverter.Convert(Options(TinyCheckpoints.Safetensors, outDir, GgufTensorType.Q4_0, GgufTensorType.F16));

        using GgufFile llm = GgufFile.Open(Path.Combine(outDir, "llm.gguf"));
        Assert.That(llm.Tensors, Is.Not.Empty);
        Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "llm.gguf", "pixel.gguf" }));
    }

    internal static ConversionOptions Options(string checkpoint, string outDir, GgufTensorType llmType, GgufTensorType visionType, string? clip = null) => new()
    {
        CheckpointDirectory = checkpoint,
        ClipDirectory = clip,
        OutputDirectory = outDir,
        LlmType = llmType,
        VisionType = visionType,
    };

    private static bool IsLlm(string name) =>
        name.StartsWith("model.layers.", StringComparison.Ordinal) || name is "model.embed_tokens.weight" or "model.norm.weight" or "lm_head.weight";

    private static bool IsUnused(string name) =>
        name.StartsWith("model.prompt_encoder.", StringComparison.Ordinal)
        && (name.Contains("point_embed", StringComparison.Ordinal) || name.Contains("mask_downscaling", StringComparison.Ordinal));

    private static float[] Read(CheckpointTensor tensor)
    {
        var values = new float[tensor.ElementCount];
        tensor.ReadFloat32(values);
        return values;
    }

    // The inverse of RopeRowOrder.ToInterleaved: llama.cpp row (h, j, half) back to HF row (h, half, j).
    private static float[] FromInterleaved(float[] weight, int heads, int headDim, int rowLength)
    {
        var result = new float[weight.Length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++)
        {
            for (int j = 0; j < half; j++)
            {
                for (int part = 0; part < 2; part++)
                {
                    int from = (h * headDim) + (2 * j) + part;
                    int to = (h * headDim) + (part * half) + j;
                    Array.Copy(weight, from * rowLength, result, to * rowLength, rowLength);
                }
            }
        }

        return result;
    }

    private string Convert(string checkpoint, GgufTensorType llmType, GgufTensorType visionType)
    {
        string outDir = TinyCheckpoints.Temp.File($"out-{Path.GetFileName(Path.GetDirectoryName(checkpoint))}-{llmType}-{visionType}");
        if (!File.Exists(Path.Combine(outDir, "pixel.gguf")))
            CheckpointConverter.Convert(Options(checkpoint, outDir, llmType, visionType));
        return outDir;
    }

    private sealed class ListProgress(Action<ConversionProgress> report) : IProgress<ConversionProgress>
    {
        public void Report(ConversionProgress value) => report(value);
    }
}
