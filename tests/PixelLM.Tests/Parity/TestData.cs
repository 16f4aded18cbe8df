using NUnit.Framework;
using PixelLM.Tests.Interop;

namespace PixelLM.Tests.Parity;

/// <summary>
/// Where the live reference's output lies: <c>PIXELLM_TEST_DATA</c>, or <c>build/test-data</c> in the
/// repository, as <c>./build.sh test</c> prepares it (the tiny model, its fixtures, its GGUF conversions).
/// </summary>
internal static class TestData
{
    public static string Root =>
        Environment.GetEnvironmentVariable("PIXELLM_TEST_DATA") is { Length: > 0 } path
            ? path
            : Path.Combine(InteropTestPaths.RepositoryRoot, "build", "test-data");

    /// <summary>The path of <paramref name="parts"/> below the root; fails the test when it is missing.</summary>
    public static string Require(params string[] parts)
    {
        string path = Path.Combine([Root, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
            Assert.Fail($"Test data missing: {path}. ./build.sh test builds it (or set PIXELLM_TEST_DATA).");
        return path;
    }
}
