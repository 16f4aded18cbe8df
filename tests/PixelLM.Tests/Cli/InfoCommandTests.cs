using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NUnit.Framework;
using PixelLM.Cli;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Cli;

/// <summary><c>pixellm info</c>, run in-process with captured output (and once as a real process).</summary>
[TestFixture]
public sealed class InfoCommandTests
{
    private TempDirectory _temp = null!;
    private string _sample = null!;

    [OneTimeSetUp]
    public void WriteSample()
    {
        _temp = new TempDirectory();
        _sample = _temp.File("sample.gguf");
        SampleGguf.Write(_sample);
    }

    [OneTimeTearDown]
    public void DeleteSample() => _temp.Dispose();

    [Test]
    public void Human_ShowsSummaryMetadataAndTensors()
    {
        (int exitCode, string output, string error) = Run("info", _sample);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Is.Empty);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(output, Does.Contain(_sample));
            Assert.That(output, Does.Match(@"version\s+3"));
            Assert.That(output, Does.Match(@"alignment\s+64"));
            Assert.That(output, Does.Match(@"tensors\s+6"));
            Assert.That(output, Does.Contain(new FileInfo(_sample).Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes"));
            Assert.That(output, Does.Contain("Metadata").And.Contain("Tensors"));
            Assert.That(output, Does.Contain("general.architecture").And.Contain(SampleGguf.Architecture));
            Assert.That(output, Does.Contain("array[string]"));
            Assert.That(output, Does.Contain("[8 × string] \"<unk>\", \"<s>\", \"</s>\""));
            Assert.That(output, Does.Contain("[100 × string] \"token0\", \"token1\""));
            Assert.That(output, Does.Contain("…"), "long arrays are shortened");
            Assert.That(output, Does.Not.Contain("token99"), "long arrays are shortened");
            Assert.That(output, Does.Contain(new string('x', 64) + "…"), "long strings are cut");
            Assert.That(output, Does.Not.Contain(new string('x', 65)));
            Assert.That(output, Does.Contain("héllo → wörld 🌍 \"quoted\"\\nnew line"), "control characters escaped");
            Assert.That(output, Does.Contain("q4_0.weight").And.Contain("[32, 3, 2]"));
            Assert.That(output, Does.Contain("bf16.weight"));
            // Ordinal: NUnit's substring match is culture-sensitive, and ICU ignores ESC in those.
            Assert.That(output.Contains('\u001b', StringComparison.Ordinal), Is.False, "no ANSI escape sequences");
        }
    }

    [Test]
    public void Json_IsOneObjectWithFileMetadataAndTensors()
    {
        (int exitCode, string output, string error) = Run("info", _sample, "--json");
        Assert.That(exitCode, Is.Zero, error);

        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement root = document.RootElement;
        Assert.That(root.ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "file", "metadata", "tensors" }));

        JsonElement file = root.GetProperty("file");
        JsonElement metadata = root.GetProperty("metadata");
        JsonElement tensors = root.GetProperty("tensors");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(file.GetProperty("version").GetInt32(), Is.EqualTo(3));
            Assert.That(file.GetProperty("alignment").GetInt64(), Is.EqualTo(64));
            Assert.That(file.GetProperty("size").GetInt64(), Is.EqualTo(new FileInfo(_sample).Length));
            Assert.That(file.GetProperty("tensor_count").GetInt32(), Is.EqualTo(6));

            Assert.That(metadata.GetProperty("general.architecture").GetString(), Is.EqualTo(SampleGguf.Architecture));
            Assert.That(metadata.GetProperty("general.name").GetString(), Is.EqualTo(SampleGguf.UnicodeText));
            Assert.That(metadata.GetProperty("test.u8").GetByte(), Is.EqualTo(200));
            Assert.That(metadata.GetProperty("test.i8").GetSByte(), Is.EqualTo(-100));
            Assert.That(metadata.GetProperty("test.u64").GetUInt64(), Is.EqualTo(ulong.MaxValue));
            Assert.That(metadata.GetProperty("test.i64").GetInt64(), Is.EqualTo(long.MinValue));
            Assert.That(metadata.GetProperty("test.f32").GetSingle(), Is.EqualTo(0.1f));
            Assert.That(metadata.GetProperty("test.f64").GetDouble(), Is.EqualTo(0.1));
            Assert.That(metadata.GetProperty("test.bool_true").GetBoolean(), Is.True);
            Assert.That(metadata.GetProperty("test.long_string").GetString(), Is.EqualTo(new string('x', 1000)), "strings in full");

            Assert.That(
                metadata.GetProperty("tokenizer.ggml.tokens").EnumerateArray().Select(e => e.GetString()),
                Is.EqualTo(SampleGguf.Tokens), "arrays in full");
            Assert.That(
                metadata.GetProperty("tokenizer.ggml.scores").EnumerateArray().Select(e => e.GetSingle()),
                Is.EqualTo(SampleGguf.Scores));
            Assert.That(metadata.GetProperty("test.array.long").GetArrayLength(), Is.EqualTo(100));
            Assert.That(metadata.GetProperty("test.array.u64").EnumerateArray().Select(e => e.GetUInt64()), Is.EqualTo(SampleGguf.UInt64s));
            Assert.That(metadata.GetProperty("test.array.bool").EnumerateArray().Select(e => e.GetBoolean()), Is.EqualTo(SampleGguf.Bools));
            Assert.That(metadata.GetProperty("test.array.empty").GetArrayLength(), Is.Zero);

            Assert.That(tensors.GetArrayLength(), Is.EqualTo(SampleGguf.TensorSpecs.Length));
            JsonElement q4 = tensors[4];
            Assert.That(q4.GetProperty("name").GetString(), Is.EqualTo("q4_0.weight"));
            Assert.That(q4.GetProperty("type").GetString(), Is.EqualTo("q4_0"));
            Assert.That(q4.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 32, 3, 2 }));
            Assert.That(q4.GetProperty("bytes").GetInt64(), Is.EqualTo(6 * 18));
            Assert.That(q4.GetProperty("offset").GetInt64() % 64, Is.Zero);
        }
    }

    [Test]
    public void NestedArrays_AreNestedInJsonAndSummarisedInTables()
    {
        string path = _temp.File("nested.gguf");
        File.WriteAllBytes(path, PixelLM.Tests.Gguf.GgufNestedArrayTests.NestedImage());

        (int exitCode, string json, string error) = Run("info", path, "--json");
        Assert.That(exitCode, Is.Zero, error);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement nested = document.RootElement.GetProperty("metadata").GetProperty("test.nested");
        Assert.That(nested.EnumerateArray().Select(a => a.EnumerateArray().Select(e => e.GetInt32()).ToArray()), Is.EqualTo(new[] { new[] { 1, 2 }, new[] { 3 } }));
        Assert.That(document.RootElement.GetProperty("tensors").GetArrayLength(), Is.Zero);

        (exitCode, string text, error) = Run("info", path);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(text, Does.Contain("[2 × array] [2 × int32], [1 × int32]"));
    }

    [Test]
    public void MissingFile_ExitsOneWithAnErrorLineAndNoStackTrace()
    {
        string missing = _temp.File("missing.gguf");
        (int exitCode, string output, string error) = Run("info", missing);

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith("error: ").And.Contain(missing));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
    }

    [Test]
    public void DamagedFile_ExitsOneWithTheFormatError()
    {
        string damaged = _temp.File("damaged.gguf");
        File.WriteAllBytes(damaged, File.ReadAllBytes(_sample).AsSpan(0, 200).ToArray());

        (int exitCode, string output, string error) = Run("info", damaged, "--json");

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith("error: "));
        Assert.That(error, Does.Not.Contain("   at "));
    }

    [Test]
    public void MissingArgument_IsAParseError()
    {
        (int exitCode, _, string error) = Run("info");
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Is.Not.Empty);
    }

    [Test]
    public void RealProcess_WritingToAPipe_EmitsNoAnsiEvenWhenTermSaysColour()
    {
        string cli = typeof(PixelLmCli).Assembly.Location;
        Assume.That(File.Exists(cli), Is.True, $"the CLI is not beside the tests: {cli}");

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        start.ArgumentList.Add("info");
        start.ArgumentList.Add(_sample);
        start.Environment["TERM"] = "xterm-256color";
        start.Environment["COLORTERM"] = "truecolor";
        start.Environment.Remove("NO_COLOR");

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(60_000), Is.True, "pixellm did not exit");

        Assert.That(process.ExitCode, Is.Zero, error.Result);
        Assert.That(output, Does.Contain("q4_0.weight"));
        Assert.That(output.Contains('\u001b', StringComparison.Ordinal), Is.False, "no ANSI escape sequences");
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = PixelLmCli.Run(args, CliConsole.ForWriters(output, error));
        return (exitCode, output.ToString(), error.ToString());
    }
}
