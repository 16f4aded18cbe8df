using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using PixelLM.Cli;
using PixelLM.Gguf;
using PixelLM.Tests.Support;
using PixelLM.Tokenization;

namespace PixelLM.Tests.Text;

/// <summary><c>pixellm tokenize</c>, run in-process with its standard input and output captured.</summary>
[TestFixture]
public sealed class TokenizeCommandTests
{
    private TempDirectory _temp = null!;
    private string _model = null!;

    private static LlamaTokenizerFixture Fixture => LlamaTokenizerFixture.Instance;

    private static Tokenizer Tokenizer => Fixture.Tokenizer;

    [OneTimeSetUp]
    public void WriteModel()
    {
        _temp = new TempDirectory();
        _model = _temp.File("llm-vocabulary.gguf");
        LlamaTokenizerFixture.Write(_model, Fixture.Oracle.Vocabulary);
    }

    [OneTimeTearDown]
    public void DeleteModel() => _temp.Dispose();

    [Test]
    public void Encode_PrintsIdsWithoutBos_OneLinePerInputLine()
    {
        (int exitCode, string output, string error) = Run("Hello world\r\n[SEG0] </s>\n\n😀 café\t!", "tokenize", "--model", _model);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Is.Empty);
        Assert.That(Lines(output), Is.EqualTo(new[]
        {
            "15043 3186",
            Ids("[SEG0] </s>"),
            "",
            Ids("😀 café\t!"),
        }));
    }

    [Test]
    public void JsonLines_AllowNewlinesInTexts()
    {
        (int exitCode, string output, string error) = Run("\"line one\\nline two\"\n  \"  indented\"  \n\"\"\n", "tokenize", "--model", _model, "--json-lines");

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(Lines(output), Is.EqualTo(new[] { Ids("line one\nline two"), Ids("  indented"), "" }));
    }

    [Test]
    public void Decode_PrintsJsonStrings()
    {
        int seg0 = Tokenizer.Vocabulary.AddedTokens["[SEG0]"];
        (int exitCode, string output, string error) = Run(
            $"15043 3186\n243 162 155 131\n\n1 {Ids("the cat")} {seg0} 2\n  243\t162 ", "tokenize", "--model", _model, "--decode");

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(Lines(output).Select(line => JsonSerializer.Deserialize<string>(line)), Is.EqualTo(new[]
        {
            "Hello world", "😀", "", "the cat[SEG0]", "\uFFFD\uFFFD",
        }));
    }

    [Test]
    public void EncodeThenDecode_RoundTripsTheGeneratedTexts()
    {
        string[] texts = [.. Fixture.Texts.Where(t => !t.Contains('\u2581'))];
        string input = string.Join('\n', texts.Select(t => JsonSerializer.Serialize(t)));
        (int exitCode, string encoded, string error) = Run(input, "tokenize", "--model", _model, "--json-lines");
        Assert.That(exitCode, Is.Zero, error);

        (exitCode, string decoded, error) = Run(encoded, "tokenize", "--model", _model, "--decode");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(Lines(decoded).Select(line => JsonSerializer.Deserialize<string>(line)), Is.EqualTo(texts));
    }

    [Test]
    public void InvalidUtf8_IsReportedWithItsLine()
    {
        byte[] input = [.. "fine\n"u8, 0x61, 0xC3, 0x28, (byte)'\n', .. "never read\n"u8];
        (int exitCode, string output, string error) = Run(input, "tokenize", "--model", _model);

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(Lines(output), Is.EqualTo(new[] { Ids("fine") }), "lines before the bad one are answered");
        Assert.That(error, Does.StartWith("error: line 2: invalid UTF-8"));
        AssertNoStackTrace(error);
    }

    [TestCase("\"unterminated")]
    [TestCase("42")]
    [TestCase("null")]
    [TestCase("\"a\" \"b\"")]
    [TestCase("plain text")]
    public void InvalidJsonLine_IsReported(string line)
    {
        (int exitCode, _, string error) = Run("\"ok\"\n" + line + "\n", "tokenize", "--model", _model, "--json-lines");

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("error: line 2: not a JSON string literal"));
        AssertNoStackTrace(error);
    }

    [TestCase("32009", "outside the vocabulary of 32009 ids")]
    [TestCase("-1", "outside the vocabulary")]
    [TestCase("1 two 3", "'two' is not a token id")]
    [TestCase("99999999999", "is not a token id")]
    public void BadIds_AreReported(string line, string message)
    {
        (int exitCode, _, string error) = Run(line, "tokenize", "--model", _model, "--decode");

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("error: line 1: ").And.Contain(message));
        AssertNoStackTrace(error);
    }

    [Test]
    public void MissingModelFile_IsAnError()
    {
        (int exitCode, _, string error) = Run("x", "tokenize", "--model", "/nonexistent/llm.gguf");

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("error: "));
        AssertNoStackTrace(error);
    }

    [Test]
    public void ModelWithoutVocabulary_NamesTheMissingKey()
    {
        using var temp = new TempDirectory();
        string path = temp.File("no-vocabulary.gguf");
        using (var writer = new GgufWriter())
        {
            writer.SetString("general.architecture", "llama");
            writer.Begin(path);
            writer.Finish();
        }

        (int exitCode, _, string error) = Run("x", "tokenize", "--model", path);

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("error: ").And.Contain(Vocabulary.ModelKey));
        AssertNoStackTrace(error);
    }

    [Test]
    public void JsonLinesWithDecode_IsRefused()
    {
        (int exitCode, _, string error) = Run("1", "tokenize", "--model", _model, "--decode", "--json-lines");
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("error: --json-lines"));
    }

    [Test]
    public void RealProcess_AnswersEachLineAsItArrives()
    {
        string cli = typeof(PixelLmCli).Assembly.Location;
        Assume.That(File.Exists(cli), Is.True, $"the CLI is not beside the tests: {cli}");

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string argument in new[] { cli, "tokenize", "--model", _model })
            start.ArgumentList.Add(argument);

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        Stream input = process.StandardInput.BaseStream;

        // A co-process writes one line and waits for its answer before writing the next.
        foreach (string text in new[] { "Hello world", "猫 😀" })
        {
            input.Write(Encoding.UTF8.GetBytes(text + "\n"));
            input.Flush();
            Task<string?> line = process.StandardOutput.ReadLineAsync();
            Assert.That(line.Wait(60_000), Is.True, $"no answer for {text}");
            Assert.That(line.Result, Is.EqualTo(Ids(text)));
        }

        input.Close();
        Assert.That(process.WaitForExit(60_000), Is.True, "pixellm did not exit");
        Assert.That(process.ExitCode, Is.Zero, error.Result);
    }

    private static string Ids(string text) => string.Join(' ', Tokenizer.Encode(text));

    private static string[] Lines(string output) => output.Split('\n')[..^1];

    private static void AssertNoStackTrace(string error) =>
        Assert.That(error, Does.Not.Contain("   at ").And.Not.Contain("Exception"));

    private static (int ExitCode, string Output, string Error) Run(string input, params string[] args) =>
        Run(Encoding.UTF8.GetBytes(input), args);

    private static (int ExitCode, string Output, string Error) Run(byte[] input, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        int exitCode = PixelLmCli.Run(args, CliConsole.ForWriters(output, error, input: new MemoryStream(input)));
        return (exitCode, output.ToString(), error.ToString());
    }
}
