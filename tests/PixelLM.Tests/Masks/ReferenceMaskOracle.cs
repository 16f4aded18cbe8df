using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NUnit.Framework;
using PixelLM.Tests.Interop;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Masks;

/// <summary>Runs the reference's post-processing (<c>pixellm_ref.mask_oracle</c>) on the given level logits.</summary>
internal static class ReferenceMaskOracle
{
    public static (float[] Logits, float[] Scores) Run(float[] level0, float[] level1, int count, (int H, int W) inputSize, (int H, int W) originalSize)
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("level0.f32"), MemoryMarshal.AsBytes(level0.AsSpan()).ToArray());
        File.WriteAllBytes(temp.File("level1.f32"), MemoryMarshal.AsBytes(level1.AsSpan()).ToArray());
        File.WriteAllText(temp.File("request.json"), JsonSerializer.Serialize(new
        {
            count,
            input_size = new[] { inputSize.H, inputSize.W },
            original_size = new[] { originalSize.H, originalSize.W },
            level0 = temp.File("level0.f32"),
            level1 = temp.File("level1.f32"),
            logits = temp.File("logits.f32"),
            scores = temp.File("scores.f32"),
        }));
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            WorkingDirectory = Path.Combine(InteropTestPaths.RepositoryRoot, "tests", "reference"),
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string argument in new[] { "-m", "pixellm_ref.mask_oracle", temp.File("request.json") })
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"pixellm_ref.mask_oracle failed:\n{output.Result}\n{error}");
        return (MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(temp.File("logits.f32"))).ToArray(),
            MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(temp.File("scores.f32"))).ToArray());
    }
}
