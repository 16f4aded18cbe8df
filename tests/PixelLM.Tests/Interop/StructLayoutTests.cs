using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NUnit.Framework;
using PixelLM.BindingsGenerator;
using PixelLM.Interop;

namespace PixelLM.Tests.Interop;

/// <summary>
/// Every struct mirrored in the generated bindings has the C compiler's size and field offsets, as
/// reported by the native layout probe built from the same header.
/// </summary>
[TestFixture]
public sealed class StructLayoutTests
{
    private static readonly Assembly BindingsAssembly = typeof(NativeMethods).Assembly;

    [Test]
    public void EveryMirroredStructMatchesTheNativeLayout()
    {
        var header = Generator.Parse(InteropTestPaths.Header);
        using var probe = LayoutProbeLibrary.Load();
        var structs = header.Structs.ToList();
        var mismatches = new List<string>();

        foreach (var structModel in structs)
        {
            var type = BindingsAssembly.GetType($"PixelLM.Interop.{structModel.Name}");
            if (type is null)
            {
                mismatches.Add($"{structModel.Name}: no such type in {BindingsAssembly.GetName().Name}");
                continue;
            }

            if (!probe.TryGetStructSize(structModel.Name, out var nativeSize))
            {
                mismatches.Add($"{structModel.Name}: the probe ({probe.LoadedFrom}) does not know it; rebuild it from the current bindings");
                continue;
            }

            var managedSize = (ulong)ManagedSizeOf(type);
            var marshalSize = (ulong)Marshal.SizeOf(type);
            if (managedSize != nativeSize || marshalSize != nativeSize)
            {
                mismatches.Add($"{structModel.Name}: C sizeof is {nativeSize}, C# size is {managedSize} (marshalled {marshalSize})");
            }

            var managedFields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .OrderBy(field => field.MetadataToken)
                .Select(field => field.Name)
                .ToList();
            var cFields = structModel.Fields.Select(field => field.Name).ToList();
            if (!managedFields.SequenceEqual(cFields))
            {
                mismatches.Add($"{structModel.Name}: C fields [{string.Join(", ", cFields)}] but C# fields [{string.Join(", ", managedFields)}]");
                continue;
            }

            foreach (var field in cFields)
            {
                if (!probe.TryGetFieldOffset(structModel.Name, field, out var nativeOffset))
                {
                    mismatches.Add($"{structModel.Name}.{field}: the probe does not know it; rebuild it from the current bindings");
                    continue;
                }

                var managedOffset = (ulong)Marshal.OffsetOf(type, field);
                if (managedOffset != nativeOffset)
                {
                    mismatches.Add($"{structModel.Name}.{field}: C offsetof is {nativeOffset}, C# offset is {managedOffset}");
                }
            }
        }

        Assert.That(structs, Is.Not.Empty, "the header should declare at least one struct");
        Assert.That(mismatches, Is.Empty, $"Layouts checked against {probe.LoadedFrom}");
    }

    [Test]
    public void ProbeReportsUnknownNames()
    {
        using var probe = LayoutProbeLibrary.Load();

        Assert.That(probe.TryGetStructSize("pxl_no_such_struct", out _), Is.False);
        Assert.That(probe.TryGetFieldOffset("pxl_gguf_value", "no_such_field", out _), Is.False);
    }

    [Test]
    public void OpaqueHandlesAreEmptyStructs()
    {
        Assert.That(typeof(pxl_gguf).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic), Is.Empty);
        Assert.That(typeof(pxl_gguf_writer).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic), Is.Empty);
    }

    [Test]
    public void EnumsAreInt32()
    {
        var header = Generator.Parse(InteropTestPaths.Header);
        foreach (var enumModel in header.Enums)
        {
            var type = BindingsAssembly.GetType($"PixelLM.Interop.{enumModel.Name}");
            Assert.That(type, Is.Not.Null, enumModel.Name);
            Assert.That(Enum.GetUnderlyingType(type!), Is.EqualTo(typeof(int)), enumModel.Name);
            var managedValues = Enum.GetNames(type!).Select(name => (name, (long)(int)Enum.Parse(type!, name)));
            Assert.That(managedValues, Is.EquivalentTo(enumModel.Values.Select(value => (value.Name, value.Value))), enumModel.Name);
        }
    }

    private static int ManagedSizeOf(Type type) =>
        (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
}
