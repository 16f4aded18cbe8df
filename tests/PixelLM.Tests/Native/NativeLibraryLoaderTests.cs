using System.Runtime.InteropServices;
using NUnit.Framework;
using PixelLM.Interop;
using PixelLM.Tests.Support;

namespace PixelLM.Tests.Native;

/// <summary>
/// How the native library is found (<see cref="NativeLibraryLoader"/>). The real library loads in these
/// tests, so the failure path is tested through the loader's parts: the candidate list and the
/// exception built from failed attempts.
/// </summary>
[TestFixture]
public sealed class NativeLibraryLoaderTests
{
    private const string Rid = "linux-x64";
    private const string FileName = "libpixellm.so";

    [Test]
    public void Candidates_WithoutVariable_AreAssemblyFolderThenRuntimesFolder()
    {
        IReadOnlyList<string> paths = NativeLibraryLoader.GetCandidatePaths(null, "/opt/app", Rid, FileName);
        Assert.That(paths, Is.EqualTo(new[]
        {
            "/opt/app/libpixellm.so",
            "/opt/app/runtimes/linux-x64/native/libpixellm.so",
        }));
    }

    [Test]
    public void Candidates_VariableNamingAFile_ComesFirst()
    {
        IReadOnlyList<string> paths = NativeLibraryLoader.GetCandidatePaths("/custom/libpixellm.so.1", "/opt/app", Rid, FileName);
        Assert.That(paths[0], Is.EqualTo("/custom/libpixellm.so.1"));
        Assert.That(paths, Has.Count.EqualTo(3));
    }

    [Test]
    public void Candidates_VariableNamingAFolder_LooksForTheFileInIt()
    {
        using var temp = new TempDirectory();
        IReadOnlyList<string> paths = NativeLibraryLoader.GetCandidatePaths(temp.Path, "/opt/app", Rid, FileName);
        Assert.That(paths[0], Is.EqualTo(Path.Combine(temp.Path, FileName)));

        IReadOnlyList<string> withSlash = NativeLibraryLoader.GetCandidatePaths("/not/there/", "/opt/app", Rid, FileName);
        Assert.That(withSlash[0], Is.EqualTo("/not/there/libpixellm.so"));
    }

    [Test]
    public void Candidates_EmptyVariableIsIgnoredAndDuplicatesDropped()
    {
        IReadOnlyList<string> paths = NativeLibraryLoader.GetCandidatePaths("  ", "/opt/app", Rid, FileName);
        Assert.That(paths, Has.Count.EqualTo(2));
        IReadOnlyList<string> same = NativeLibraryLoader.GetCandidatePaths("/opt/app/libpixellm.so", "/opt/app", Rid, FileName);
        Assert.That(same, Has.Count.EqualTo(2));
    }

    [Test]
    public void LoadFirst_WhenNothingLoads_ListsEveryPathWithItsError()
    {
        using var temp = new TempDirectory();
        string missing = temp.File("missing/libpixellm.so");
        string notALibrary = temp.File("libpixellm.so");
        File.WriteAllText(notALibrary, "this is not an ELF file");

        var error = Assert.Throws<PixelLmNativeLibraryException>(
            () => NativeLibraryLoader.LoadFirst([missing, notALibrary], NativeLibrary.Load));

        Assert.That(error!.AttemptedPaths, Is.EqualTo(new[] { missing, notALibrary }));
        Assert.That(error.Message, Does.Contain(missing).And.Contain(notALibrary));
        Assert.That(error.Message, Does.Contain(NativeLibraryLoader.PathVariable));
        Assert.That(error.InnerException, Is.TypeOf<AggregateException>());
        var inner = ((AggregateException)error.InnerException!).InnerExceptions;
        Assert.That(inner, Has.Count.EqualTo(2));
        // Each attempt's own reason is in the message, on the line of its path.
        string[] lines = error.Message.Split('\n');
        Assert.That(lines.Single(l => l.Contains(missing)), Does.Contain(inner[0].Message.ReplaceLineEndings(" ").Trim()));
        Assert.That(lines.Single(l => l.Contains(notALibrary)), Does.Contain(inner[1].Message.ReplaceLineEndings(" ").Trim()));
    }

    [Test]
    public void LoadFirst_OneFailure_KeepsItAsTheInnerException()
    {
        var failure = new DllNotFoundException("dlopen says no");
        var error = Assert.Throws<PixelLmNativeLibraryException>(
            () => NativeLibraryLoader.LoadFirst(["/x/libpixellm.so"], _ => throw failure));
        Assert.That(error!.InnerException, Is.SameAs(failure));
        Assert.That(error.Message, Does.Contain("/x/libpixellm.so: dlopen says no"));
    }

    [Test]
    public void LoadFirst_StopsAtTheFirstThatLoads()
    {
        var tried = new List<string>();
        (IntPtr handle, string path) = NativeLibraryLoader.LoadFirst(
            ["/a", "/b", "/c"],
            p =>
            {
                tried.Add(p);
                return p == "/b" ? new IntPtr(42) : throw new DllNotFoundException(p);
            });
        Assert.That(handle, Is.EqualTo(new IntPtr(42)));
        Assert.That(path, Is.EqualTo("/b"));
        Assert.That(tried, Is.EqualTo(new[] { "/a", "/b" }));
    }

    [Test]
    public void LoadFailure_WithNoCandidates_SaysWhy()
    {
        PixelLmNativeLibraryException error = NativeLibraryLoader.CreateLoadFailure([]);
        Assert.That(error.AttemptedPaths, Is.Empty);
        Assert.That(error.Message, Does.Contain(NativeLibraryLoader.PathVariable));
        Assert.That(error.InnerException, Is.Null);
    }

    [Test]
    public void RuntimeIdentifier_IsPortable()
    {
        Assert.That(NativeLibraryLoader.GetRuntimeIdentifier(), Does.Match("^(linux|win|osx|freebsd)-(x64|x86|arm64|arm|[a-z0-9]+)$"));
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
            Assert.That(NativeLibraryLoader.GetRuntimeIdentifier(), Is.EqualTo("linux-x64"));
    }

    [Test]
    public void AbiMismatch_MessageNamesPathAndBothVersions()
    {
        var error = new PixelLmAbiMismatchException("/opt/libpixellm.so", 1, 2);
        Assert.That(error.Message, Does.Contain("/opt/libpixellm.so").And.Contain("ABI version 2").And.Contain("ABI version 1"));
        Assert.That(error, Is.InstanceOf<PixelLmNativeLibraryException>());
    }
}
