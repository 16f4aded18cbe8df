using System.Text;
using NUnit.Framework;
using PixelLM.BindingsGenerator;

namespace PixelLM.Tests.Interop;

/// <summary>The committed bindings are what the generator makes of today's pixellm.h, in the shape the safe layer relies on.</summary>
[TestFixture]
public sealed class GeneratedBindingsTests
{
    private IReadOnlyDictionary<string, string> generated = null!;

    [OneTimeSetUp]
    public void GenerateFromHeader() => generated = Generator.Generate(InteropTestPaths.Header);

    [Test]
    public void GeneratedBindingsAreUpToDate()
    {
        var stale = new List<string>();
        foreach (var (fileName, expected) in generated)
        {
            var path = Path.Combine(InteropTestPaths.GeneratedDirectory, fileName);
            var committed = File.Exists(path) ? File.ReadAllText(path, new UTF8Encoding(false)) : null;
            var difference = GeneratedFileComparer.FirstDifference(expected, committed);
            if (difference is not null)
            {
                stale.Add($"{RepositoryLayout.DefaultOutputDirectory}/{fileName}: {difference}");
            }
        }

        Assert.That(
            stale,
            Is.Empty,
            $"The committed bindings differ from what {RepositoryLayout.DefaultHeader} generates; run ./build.sh bindings and commit the result.");
    }

    [Test]
    public void GenerationIsDeterministic()
    {
        var again = Generator.Generate(InteropTestPaths.Header);

        Assert.That(again, Is.EqualTo(generated));
    }

    [Test]
    public void GeneratedFilesHoldNoAbsolutePathsOrCarriageReturns()
    {
        foreach (var (fileName, content) in generated)
        {
            Assert.That(content, Does.Not.Contain(InteropTestPaths.RepositoryRoot), fileName);
            Assert.That(content, Does.Not.Contain("\r"), fileName);
        }
    }

    // The safe layer in src/PixelLM is written against these exact spellings.
    [TestCase("internal static unsafe partial class NativeMethods")]
    [TestCase("internal const string LibraryName = \"pixellm\";")]
    [TestCase("internal const int PXL_ABI_VERSION = 1;")]
    [TestCase("internal const int PXL_MAX_DIMS = 4;")]
    [TestCase("internal enum pxl_status : int")]
    [TestCase("    PXL_STATUS_OK = 0,")]
    [TestCase("    PXL_STATUS_INTERNAL_ERROR = 11,")]
    [TestCase("internal struct pxl_gguf { }")]
    [TestCase("internal struct pxl_gguf_writer { }")]
    [TestCase("[StructLayout(LayoutKind.Sequential)]\ninternal unsafe struct pxl_gguf_value\n{")]
    [TestCase("    public pxl_gguf_type type;")]
    [TestCase("    public byte* string_data;")]
    [TestCase("[LibraryImport(LibraryName)]\n    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]\n    internal static partial pxl_status pxl_gguf_open(byte* path, pxl_gguf_open_params* @params, pxl_gguf** out_file);")]
    [TestCase("internal static partial pxl_gguf_open_params pxl_gguf_default_open_params();")]
    [TestCase("internal static partial void pxl_log_set_callback(delegate* unmanaged[Cdecl]<pxl_log_level, byte*, void*, void> callback, void* user_data, pxl_log_level min_level);")]
    [TestCase("internal static partial pxl_status pxl_gguf_writer_set_string_array(pxl_gguf_writer* writer, byte* key, byte** strings, ulong* lengths, ulong count);")]
    [TestCase("internal static partial pxl_status pxl_tensor_type_layout(int type, long* out_block_elements, long* out_block_bytes);")]
    [TestCase("internal static partial pxl_status pxl_gguf_tensor_data(pxl_gguf* file, long index, void** out_data, ulong* out_size);")]
    public void InteropFileDeclares(string expected)
    {
        Assert.That(generated[Generator.InteropFileName], Does.Contain(expected));
    }

    [TestCase("PIXELLM_H")]
    [TestCase("PXL_API")]
    public void NonIntegerMacrosAreSkipped(string macro)
    {
        Assert.That(generated[Generator.InteropFileName], Does.Not.Contain(macro + " ="));
    }

    [Test]
    public void EveryHeaderFunctionIsImportedOnce()
    {
        var header = Generator.Parse(InteropTestPaths.Header);
        var interop = generated[Generator.InteropFileName];

        Assert.That(header.Functions, Is.Not.Empty);
        foreach (var function in header.Functions)
        {
            var declarations = interop.Split('\n').Count(line =>
                line.Contains("static partial", StringComparison.Ordinal)
                && line.Contains($" {function.Name}(", StringComparison.Ordinal));
            Assert.That(declarations, Is.EqualTo(1), function.Name);
        }
    }
}
