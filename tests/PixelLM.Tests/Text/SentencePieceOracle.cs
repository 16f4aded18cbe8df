using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;
using PixelLM.Tests.Interop;

namespace PixelLM.Tests.Text;

/// <summary>
/// Runs <c>tests/reference/sentencepiece_oracle.py</c> (Debian's python3-sentencepiece over LLaMA's
/// real <c>tokenizer.model</c>) so that every expected id and string is computed live in the test run.
/// </summary>
internal static class SentencePieceOracle
{
    private const string Python = "/usr/bin/python3";

    public static string TokenizerModel => Path.Combine(InteropTestPaths.RepositoryRoot, ".deps", "llama-tokenizer", "tokenizer.model");

    private static string Script => Path.Combine(InteropTestPaths.RepositoryRoot, "tests", "reference", "sentencepiece_oracle.py");

    /// <summary>Sends <paramref name="request"/> (encode / decode / prompt lists) and returns the parsed response.</summary>
    public static OracleResponse Ask(object request)
    {
        if (!File.Exists(TokenizerModel))
            Assert.Fail($"{TokenizerModel} is missing; ./build.sh fetches it.");
        if (!File.Exists(Python))
            Assert.Fail($"{Python} is missing; ./build.sh installs it with python3-sentencepiece.");

        string directory = Path.Combine(Path.GetTempPath(), "pixellm-oracle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string requestPath = Path.Combine(directory, "request.json");
            string responsePath = Path.Combine(directory, "response.json");
            File.WriteAllText(requestPath, JsonSerializer.Serialize(request));

            var start = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string argument in new[] { Script, TokenizerModel, requestPath, responsePath })
                start.ArgumentList.Add(argument);
            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Python}");
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.Zero, $"sentencepiece_oracle.py failed:\n{output.Result}\n{error}");

            return JsonSerializer.Deserialize<OracleResponse>(File.ReadAllText(responsePath), JsonOptions)
                ?? throw new InvalidOperationException("empty oracle response");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
}
