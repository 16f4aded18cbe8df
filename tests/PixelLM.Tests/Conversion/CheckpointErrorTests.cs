using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using NUnit.Framework;
using PixelLM.Conversion;
using PixelLM.Gguf;

namespace PixelLM.Tests.Conversion;

/// <summary>
/// Damaged, inconsistent and hostile checkpoints: each is refused with a message naming the offending file
/// and tensor or key, and the output directory is left as it was (here: never created).
/// </summary>
[TestFixture]
public sealed class CheckpointErrorTests
{
    [Test]
    public void MissingConfig() =>
        AssertRefused<PixelLmIOException>(TinyCheckpoints.Safetensors, dir => File.Delete(Path.Combine(dir, "config.json")), "config.json");

    [Test]
    public void MissingTokenizer() =>
        AssertRefused<PixelLmIOException>(TinyCheckpoints.Safetensors, dir => File.Delete(Path.Combine(dir, "tokenizer.model")), "tokenizer.model");

    [Test]
    public void MissingAddedTokens() =>
        AssertRefused<PixelLmIOException>(TinyCheckpoints.Safetensors, dir => File.Delete(Path.Combine(dir, "added_tokens.json")), "added_tokens.json");

    [Test]
    public void MissingWeights() =>
        AssertRefused<PixelLmIOException>(TinyCheckpoints.Safetensors, dir => File.Delete(Path.Combine(dir, "model.safetensors")), "no weights");

    [Test]
    public void MissingClipDirectory() =>
        AssertRefused<PixelLmIOException>(TinyCheckpoints.Safetensors, dir => Directory.Delete(Path.Combine(dir, "..", "clip-vit"), true), "mm_vision_tower 'clip-vit'");

    [Test]
    public void MissingShard() =>
        AssertRefused<PixelLmIOException>(TinyCheckpoints.BinSharded, dir => File.Delete(Path.Combine(dir, "pytorch_model-00002-of-00002.bin")), "pytorch_model-00002-of-00002.bin");

    [Test]
    public void IndexThatDisagreesWithTheShards() =>
        AssertRefused<PixelLmFormatException>(TinyCheckpoints.BinSharded, dir =>
        {
            string index = Path.Combine(dir, "pytorch_model.bin.index.json");
            JsonObject json = JsonNode.Parse(File.ReadAllText(index))!.AsObject();
            JsonObject map = json["weight_map"]!.AsObject();
            string other = map["model.norm.weight"]!.GetValue<string>().Contains("00001", StringComparison.Ordinal)
                ? "pytorch_model-00002-of-00002.bin" : "pytorch_model-00001-of-00002.bin";
            map["model.norm.weight"] = other;
            File.WriteAllText(index, json.ToJsonString());
        }, "model.norm.weight", "disagree");

    [Test]
    public void UnsupportedDtype() =>
        AssertRefused<PixelLmUnsupportedException>(TinyCheckpoints.Safetensors,
            dir => EditModelHeader(dir, h => h["model.norm.weight"]!["dtype"] = "I32"), "model.norm.weight", "I32");

    [Test]
    public void MisShapedTensor() =>
        AssertRefused<PixelLmFormatException>(TinyCheckpoints.Safetensors,
            dir => EditModelHeader(dir, h => h["model.norm.weight"]!["shape"] = new JsonArray(8, 8)), "model.norm.weight", "[8, 8]", "[64]");

    [Test]
    public void MissingTensor() =>
        AssertRefused<PixelLmFormatException>(TinyCheckpoints.Safetensors,
            dir => EditModelHeader(dir, h => h.Remove("model.mask_decoder.iou_token.weight")), "missing tensor 'model.mask_decoder.iou_token.weight'");

    [Test]
    public void MissingUnusedTensorIsStillAnError() =>
        AssertRefused<PixelLmFormatException>(TinyCheckpoints.Safetensors,
            dir => EditModelHeader(dir, h => h.Remove("model.prompt_encoder.mask_downscaling.0.weight")), "model.prompt_encoder.mask_downscaling.0.weight");

    [Test]
    public void ExtraTensor() =>
        AssertRefused<PixelLmFormatException>(TinyCheckpoints.Safetensors, dir =>
        {
            string clip = Path.Combine(dir, "..", "clip-vit", "model.safetensors");
            SafetensorsEditor.EditHeader(clip, h =>
            {
                JsonNode entry = h["logit_scale"]!.DeepClone();
                h.Remove("logit_scale");
                h["vision_model.extra_scale"] = entry;
            });
        }, "unexpected tensor 'vision_model.extra_scale'");

    [Test]
    public void VocabularyThatDisagreesWithTheEmbedding() =>
        AssertRefused<PixelLmFormatException>(TinyCheckpoints.Safetensors, dir =>
        {
            string path = Path.Combine(dir, "added_tokens.json");
            JsonObject added = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            added["[SEG6]"] = 32009;
            File.WriteAllText(path, added.ToJsonString());
        }, "added_tokens.json", "32010 tokens", "32009 rows");

    [Test]
    public void AddedTokenIdsWithAGap() =>
        AssertRefused<PixelLmFormatException>(TinyCheckpoints.Safetensors, dir =>
        {
            string path = Path.Combine(dir, "added_tokens.json");
            JsonObject added = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            added["[SEG5]"] = 32010;
            File.WriteAllText(path, added.ToJsonString());
        }, "added_tokens.json", "[SEG5]");

    [Test]
    public void ShapeThatContradictsTheConfig() =>
        AssertRefused<PixelLmFormatException>(TinyCheckpoints.Safetensors, dir =>
        {
            string path = Path.Combine(dir, "config.json");
            JsonObject config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            config["intermediate_size"] = 256;
            File.WriteAllText(path, config.ToJsonString());
        }, "model.layers.0.mlp.gate_proj.weight", "[192, 64]", "[256, 64]");

    [Test]
    public void TruncatedSafetensorsHeader() =>
        AssertRefused<PixelLmFormatException>(TinyCheckpoints.Safetensors, dir =>
        {
            string path = Path.Combine(dir, "model.safetensors");
            byte[] head = File.ReadAllBytes(path).AsSpan(0, 100).ToArray();
            File.WriteAllBytes(path, head);
        }, "model.safetensors", "truncated");

    [Test]
    public void HostilePickle_IsRefusedWithoutRunningAnything()
    {
        string marker = TinyCheckpoints.Temp.File("pwned-" + Guid.NewGuid().ToString("N"));
        AssertRefused<PixelLmFormatException>(TinyCheckpoints.BinSharded, dir =>
        {
            string shard = Path.Combine(dir, "pytorch_model-00001-of-00002.bin");
            ReplaceEntry(shard, "/data.pkl", HostilePickle($"touch {marker}"));
        }, "pytorch_model-00001-of-00002.bin", "data.pkl", "'posix.system'", "not on the allowlist");
        Assert.That(File.Exists(marker), Is.False);
    }

    [Test]
    public void DamagedPickleOpcode_IsNamed()
    {
        byte[] pickle = [0x80, 0x02, 0x7d, 0x69, 0x2e];  // PROTO 2, EMPTY_DICT, INST (not allowed), STOP
        Assert.That(() => RestrictedUnpickler.Load(pickle, "x/data.pkl"),
            Throws.InstanceOf<PixelLmFormatException>().With.Message.Contains("x/data.pkl: byte 3: opcode 0x69"));
        Assert.That(() => RestrictedUnpickler.Load([0x80, 0x02, 0x7d], "x/data.pkl"),
            Throws.InstanceOf<PixelLmFormatException>().With.Message.Contains("ends without STOP"));
    }

    // PROTO 2; GLOBAL 'posix system'; SHORT_BINUNICODE command; TUPLE1; REDUCE; STOP: os.system(command) under
    // an unrestricted unpickler.
    private static byte[] HostilePickle(string command)
    {
        var bytes = new List<byte> { 0x80, 0x02, (byte)'c' };
        bytes.AddRange(Encoding.ASCII.GetBytes("posix\nsystem\n"));
        byte[] text = Encoding.UTF8.GetBytes(command);
        bytes.Add(0x8c);
        bytes.Add((byte)text.Length);
        bytes.AddRange(text);
        bytes.AddRange([0x85, (byte)'R', (byte)'.']);
        return [.. bytes];
    }

    private static void ReplaceEntry(string zipPath, string suffix, byte[] content)
    {
        using ZipArchive zip = ZipFile.Open(zipPath, ZipArchiveMode.Update);
        ZipArchiveEntry old = zip.Entries.Single(e => e.FullName.EndsWith(suffix, StringComparison.Ordinal));
        string name = old.FullName;
        old.Delete();
        using Stream stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(content);
    }

    private static void EditModelHeader(string dir, Action<JsonObject> edit) =>
        SafetensorsEditor.EditHeader(Path.Combine(dir, "model.safetensors"), edit);

    private static void AssertRefused<TException>(string source, Action<string> damage, params string[] fragments)
        where TException : Exception
    {
        string dir = TinyCheckpoints.Copy(source);
        damage(dir);
        string outDir = TinyCheckpoints.NewOutput();
        var options = CheckpointConverterTests.Options(dir, outDir, GgufTensorType.Q4_0, GgufTensorType.F16);

        TException error = Assert.Throws<TException>(() => CheckpointConverter.Convert(options))!;
        foreach (string fragment in fragments)
            Assert.That(error.Message, Does.Contain(fragment));
        Assert.That(Directory.Exists(outDir), Is.False, "the output directory was left behind");
    }
}
