namespace PixelLM.Tests.Interop;

/// <summary>A header written to a fresh temporary folder (outside the repository), deleted on dispose.</summary>
internal sealed class TemporaryHeader : IDisposable
{
    private readonly string directory;

    public TemporaryHeader(string content, string fileName = "probe_test.h")
    {
        directory = Path.Combine(Path.GetTempPath(), "pixellm-bindings-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        FileName = fileName;
        HeaderPath = Path.Combine(directory, fileName);
        File.WriteAllText(HeaderPath, content.Replace("\r\n", "\n"));
    }

    public string FileName { get; }

    public string HeaderPath { get; }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
