using NUnit.Framework;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Conversion;

/// <summary>
/// The tiny checkpoints every conversion test reads, built once for the namespace by the PyTorch reference
/// (about 2.5 s each, run side by side) and deleted after its last test. Tests copy them before damaging them.
/// </summary>
[SetUpFixture]
public sealed class TinyCheckpoints
{
    private static TempDirectory? s_temp;

    /// <summary>Tiny, f32, <c>model.safetensors</c>.</summary>
    internal static string Safetensors { get; private set; } = null!;

    /// <summary>Tiny with the LLM and projectors in bf16 (mask head f32), two <c>.bin</c> shards and their index.</summary>
    internal static string BinSharded { get; private set; } = null!;

    /// <summary>Tiny, f32, one <c>pytorch_model.bin</c>: the same values as <see cref="Safetensors"/>.</summary>
    internal static string BinSingle { get; private set; } = null!;

    /// <summary>A directory whose <c>model.safetensors</c> holds the reference's stretched position table (<c>position_table</c>).</summary>
    internal static string PositionTable { get; private set; } = null!;

    /// <summary>Scratch space that lives as long as the checkpoints.</summary>
    internal static TempDirectory Temp => s_temp ?? throw new InvalidOperationException("The checkpoints are not built.");

    [OneTimeSetUp]
    public void Build()
    {
        ReferenceBuilder.IgnoreIfUnavailable();
        TempDirectory temp = s_temp = new TempDirectory();
        // Each build is mostly Python and torch start-up; side by side they take the time of about one.
        Parallel.Invoke(
            () => ReferenceBuilder.BuildTiny(temp.File("st")),
            () => ReferenceBuilder.BuildTiny(temp.File("bin2"), "--format", "bin", "--shards", "2", "--dtype", "bf16"),
            () => ReferenceBuilder.BuildTiny(temp.File("bin1"), "--format", "bin"));
        Safetensors = Path.Combine(s_temp.File("st"), "pixellm");
        BinSharded = Path.Combine(s_temp.File("bin2"), "pixellm");
        BinSingle = Path.Combine(s_temp.File("bin1"), "pixellm");
        PositionTable = s_temp.File("positions");
        Directory.CreateDirectory(PositionTable);
        ReferenceBuilder.DumpPositionTable(Path.Combine(s_temp.File("st"), "clip-vit"), Path.Combine(PositionTable, "model.safetensors"));
    }

    [OneTimeTearDown]
    public void Delete() => s_temp?.Dispose();

    /// <summary>
    /// Copies the checkpoint of <paramref name="modelDir"/> and its sibling <c>clip-vit</c> into a fresh
    /// directory and returns the copy's model directory.
    /// </summary>
    internal static string Copy(string modelDir)
    {
        string root = Temp.File("copy-" + Guid.NewGuid().ToString("N"));
        string source = Path.GetDirectoryName(modelDir)!;
        foreach (string dir in Directory.GetDirectories(source))
        {
            string target = Path.Combine(root, Path.GetFileName(dir));
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(dir))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return Path.Combine(root, Path.GetFileName(modelDir));
    }

    /// <summary>A fresh output directory path (not created).</summary>
    internal static string NewOutput() => Temp.File("out-" + Guid.NewGuid().ToString("N"));
}
