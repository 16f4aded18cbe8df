using NUnit.Framework;
using PixelLM.BindingsGenerator;

namespace PixelLM.Tests.Interop;

/// <summary>The generator on small headers: what it refuses, and how it maps what it accepts.</summary>
[TestFixture]
public sealed class BindingsGeneratorTests
{
    // Each header's offending declaration is on line 4 (after the includes and a blank line).
    [TestCase("bool_field", "typedef struct pxl_flags {\n    uint64_t struct_size;\n    bool enabled;\n} pxl_flags;", 6, "pxl_flags.enabled", "bool", TestName = "{m}({0})")]
    [TestCase("bool_parameter", "int32_t pxl_set_flag(bool value);", 4, "pxl_set_flag", "bool", TestName = "{m}({0})")]
    [TestCase("union", "typedef union pxl_number {\n    int32_t i;\n    float f;\n} pxl_number;", 4, "pxl_number", "union", TestName = "{m}({0})")]
    [TestCase("union_field", "typedef struct pxl_cell {\n    union { int32_t i; float f; } value;\n} pxl_cell;", 5, "pxl_cell", "union", TestName = "{m}({0})")]
    [TestCase("varargs", "int32_t pxl_logf(const char* format, ...);", 4, "pxl_logf", "variadic", TestName = "{m}({0})")]
    [TestCase("varargs_callback", "typedef void (*pxl_printf_callback)(const char* format, ...);", 4, "pxl_printf_callback", "variadic", TestName = "{m}({0})")]
    [TestCase("bit_field", "typedef struct pxl_bits {\n    uint32_t low : 4;\n} pxl_bits;", 5, "pxl_bits.low", "bit field", TestName = "{m}({0})")]
    [TestCase("inline_array", "typedef struct pxl_shape {\n    int64_t dims[4];\n} pxl_shape;", 5, "pxl_shape.dims", "array", TestName = "{m}({0})")]
    [TestCase("no_prototype", "int32_t pxl_old_style();", 4, "pxl_old_style", "prototype", TestName = "{m}({0})")]
    [TestCase("platform_long", "long pxl_count(void);", 4, "pxl_count", "long", TestName = "{m}({0})")]
    [TestCase("global_variable", "extern int32_t pxl_global_counter;", 4, "pxl_global_counter", "variable", TestName = "{m}({0})")]
    [TestCase("inline_function", "static inline int32_t pxl_twice(int32_t x) { return 2 * x; }", 4, "pxl_twice", "defined in the header", TestName = "{m}({0})")]
    public void RejectsConstructsWithoutABlittableMirror(string caseName, string declaration, int line, string name, string reason)
    {
        using var header = new TemporaryHeader("#include <stdbool.h>\n#include <stdint.h>\n\n" + declaration + "\n", caseName + ".h");

        var exception = Assert.Throws<BindingsGeneratorException>(() => Generator.Generate(header.HeaderPath));

        Assert.That(exception!.Message, Does.Contain($"{header.FileName}:{line}:"));
        Assert.That(exception.Message, Does.Contain(name));
        Assert.That(exception.Message, Does.Contain(reason).IgnoreCase);
    }

    [Test]
    public void ReportsEveryProblemAtOnce()
    {
        using var header = new TemporaryHeader(
            "#include <stdint.h>\n\nint32_t pxl_logf(const char* format, ...);\ntypedef union pxl_number { int32_t i; float f; } pxl_number;\n");

        var exception = Assert.Throws<BindingsGeneratorException>(() => Generator.Generate(header.HeaderPath));

        Assert.That(exception!.Message, Does.Contain($"{header.FileName}:3:").And.Contain("pxl_logf"));
        Assert.That(exception.Message, Does.Contain($"{header.FileName}:4:").And.Contain("pxl_number"));
    }

    [Test]
    public void ReportsCompileErrorsWithClangsDiagnostic()
    {
        using var header = new TemporaryHeader("#include <stdint.h>\n\nint32_t pxl_broken(int32_t x;\n");

        var exception = Assert.Throws<BindingsGeneratorException>(() => Generator.Generate(header.HeaderPath));

        Assert.That(exception!.Message, Does.Contain("does not compile"));
        Assert.That(exception.Message, Does.Contain(":3:").And.Contain("error"));
    }

    [Test]
    public void TurnsDocCommentsIntoXmlSummaries()
    {
        const string Source = """
            #include <stdint.h>

            /** Adds <a> & <b>. */
            int32_t pxl_add(int32_t a, int32_t b);

            /**
             * Halves a value.
             *
             * Rounds toward zero.
             */
            int32_t pxl_half(int32_t value);

            /* A plain comment, not documentation. */
            int32_t pxl_plain(void);

            /** A documented struct. */
            typedef struct pxl_point {
                /** Across. */
                int32_t x;
                int32_t y;
            } pxl_point;

            /** A documented enum. */
            typedef enum pxl_color {
                /** Red light. */
                PXL_COLOR_RED = 0,
                PXL_COLOR_GREEN = 1
            } pxl_color;

            /** Documented limit. */
            #define PXL_LIMIT 16
            """;
        using var header = new TemporaryHeader(Source);

        var code = Generator.Generate(header.HeaderPath)[Generator.InteropFileName];

        Assert.That(code, Does.Contain("    /// <summary>\n    /// Adds &lt;a&gt; &amp; &lt;b&gt;.\n    /// </summary>\n    [LibraryImport(LibraryName)]"));
        Assert.That(code, Does.Contain("    /// <summary>\n    /// <para>\n    /// Halves a value.\n    /// </para>\n    /// <para>\n    /// Rounds toward zero.\n    /// </para>\n    /// </summary>"));
        Assert.That(code, Does.Not.Contain("plain comment"));
        Assert.That(code, Does.Contain("/// <summary>\n/// A documented struct.\n/// </summary>\n[StructLayout(LayoutKind.Sequential)]\ninternal unsafe struct pxl_point"));
        Assert.That(code, Does.Contain("    /// <summary>\n    /// Across.\n    /// </summary>\n    public int x;\n    public int y;"));
        Assert.That(code, Does.Contain("/// <summary>\n/// A documented enum.\n/// </summary>\ninternal enum pxl_color : int"));
        Assert.That(code, Does.Contain("    /// <summary>\n    /// Red light.\n    /// </summary>\n    PXL_COLOR_RED = 0,"));
        Assert.That(code, Does.Contain("    /// <summary>\n    /// Documented limit.\n    /// </summary>\n    internal const int PXL_LIMIT = 16;"));
    }

    [Test]
    public void MapsTypesAndNamesAsTheSafeLayerExpects()
    {
        const string Source = """
            #include <stddef.h>
            #include <stdint.h>

            #define PXL_FLAG_MASK 0xFFFFFFFFu
            #define PXL_NEGATIVE (-2)
            #define PXL_NAME "pixellm"
            #define PXL_TWICE(x) (2 * (x))

            typedef struct pxl_thing pxl_thing;
            typedef int32_t pxl_index;
            typedef void (*pxl_visit)(pxl_thing* thing, const char* const* names, void* user_data);

            typedef struct pxl_sizes {
                uint8_t u8; int8_t i8; uint16_t u16; int16_t i16;
                uint32_t u32; int32_t i32; uint64_t u64; int64_t i64;
                size_t size; float f32; double f64; pxl_index index;
                pxl_visit visit; const uint8_t* bytes; signed char* signed_text;
            } pxl_sizes;

            pxl_sizes pxl_sizes_default(void);
            void pxl_use(pxl_thing* object, const char* string, pxl_visit callback, uint64_t params);
            """;
        using var header = new TemporaryHeader(Source);

        var files = Generator.Generate(header.HeaderPath);
        var code = files[Generator.InteropFileName];

        Assert.That(code, Does.Contain("// Generated by bindings/generator from probe_test.h. Do not edit; run ./build.sh bindings."));
        Assert.That(code, Does.Contain("internal const uint PXL_FLAG_MASK = 4294967295;"));
        Assert.That(code, Does.Contain("internal const int PXL_NEGATIVE = -2;"));
        Assert.That(code, Does.Not.Contain("PXL_NAME"));
        Assert.That(code, Does.Not.Contain("PXL_TWICE"));
        Assert.That(code, Does.Contain("internal struct pxl_thing { }"));
        Assert.That(code, Does.Contain(
            "    public byte u8;\n    public sbyte i8;\n    public ushort u16;\n    public short i16;\n"
            + "    public uint u32;\n    public int i32;\n    public ulong u64;\n    public long i64;\n"
            + "    public nuint size;\n    public float f32;\n    public double f64;\n    public int index;\n"
            + "    public delegate* unmanaged[Cdecl]<pxl_thing*, byte**, void*, void> visit;\n"
            + "    public byte* bytes;\n    public sbyte* signed_text;\n"));
        Assert.That(code, Does.Contain("internal static partial pxl_sizes pxl_sizes_default();"));
        Assert.That(code, Does.Contain(
            "internal static partial void pxl_use(pxl_thing* @object, byte* @string, delegate* unmanaged[Cdecl]<pxl_thing*, byte**, void*, void> callback, ulong @params);"));
        Assert.That(files[Generator.LayoutProbeFileName], Does.Contain("{ \"pxl_sizes\", \"visit\", offsetof(pxl_sizes, visit) },"));
    }
}
