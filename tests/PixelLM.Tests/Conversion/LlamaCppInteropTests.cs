using NUnit.Framework;
using PixelLM.Conversion;
using PixelLM.Gguf;

namespace PixelLM.Tests.Conversion;

/// <summary>
/// The converted LLM file loads and runs in llama.cpp itself, and its logits match the PyTorch reference:
/// the proof of the tensor names, the metadata and the Q/K row order for llama.cpp's RoPE.
/// </summary>
[TestFixture]
public sealed class LlamaCppInteropTests
{
    private const string Text = "The cat sat on the mat.";
    private static readonly int[] ExpectedIds = [1, 450, 6635, 3290, 373, 278, 1775, 29889];

    private string _model = null!;
    private float[] _reference = null!;

    [OneTimeSetUp]
    public void PrepareModel()
    {
        if (LlamaCppLibrary.Directory is null)
            Assert.Ignore("llama.cpp's CPU build (.deps/llama-cpp, fetched by build.sh) is not available on this machine.");

        // The tiny model's random attention is almost uniform, which would hide a wrong RoPE row order;
        // scaling Q and K sharpens it (a wrong order then moves the logits by ~0.6 against a max of ~0.65).
        _model = TinyCheckpoints.Copy(TinyCheckpoints.Safetensors);
        string weights = Path.Combine(_model, "model.safetensors");
        for (int i = 0; i < 2; i++)
        {
            SafetensorsEditor.ScaleF32(weights, $"model.layers.{i}.self_attn.q_proj.weight", 60);
            SafetensorsEditor.ScaleF32(weights, $"model.layers.{i}.self_attn.k_proj.weight", 60);
        }

        string golden = TinyCheckpoints.Temp.File("logits-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(golden);
        ReferenceBuilder.DumpLogits(_model, ExpectedIds, Path.Combine(golden, "model.safetensors"));
        using var logits = CheckpointWeights.Open(golden);
        _reference = new float[logits.Tensors["logits"].ElementCount];
        logits.Tensors["logits"].ReadFloat32(_reference);
    }

    // Bounds relative to max |reference logit|; measured 3e-4 (F32, llama.cpp's f16 KV cache), 7e-4 (F16),
    // 0.04 (Q8_0) and 0.2 (Q4_0: quantization error amplified by the sharpened attention).
    [TestCase(GgufTensorType.F32, 2e-3)]
    [TestCase(GgufTensorType.F16, 5e-3)]
    [TestCase(GgufTensorType.Q8_0, 0.1)]
    [TestCase(GgufTensorType.Q4_0, 0.4)]
    public void ConvertedModel_RunsInLlamaCpp_WithTheReferenceLogits(GgufTensorType type, double tolerance)
    {
        string outDir = TinyCheckpoints.NewOutput();
        CheckpointConverter.Convert(CheckpointConverterTests.Options(_model, outDir, type, GgufTensorType.F16));

        (int vocabSize, int[] ids, float[] logits) = LlamaCppLibrary.Shared.Run(Path.Combine(outDir, "llm.gguf"), Text);

        Assert.That(vocabSize, Is.EqualTo(32009));
        Assert.That(ids, Is.EqualTo(ExpectedIds), "llama.cpp's tokenizer over the converted vocabulary");
        double scale = _reference.Max(Math.Abs);
        double worst = _reference.Zip(logits, (r, l) => Math.Abs(r - l)).Max();
        Assert.That(worst, Is.LessThanOrEqualTo(tolerance * scale), $"max |llama.cpp - reference| = {worst} (max |reference| {scale})");
    }
}
