using System.Text;
using PixelLM.BindingsGenerator;

// dotnet run --project bindings/generator -- [--header native/include/pixellm.h] [--out bindings/generated] [--check]
//   Writes the bindings, or with --check compares them with what is committed: exit 1 if any differ.
// Exit codes: 0 done / up to date, 1 out of date, 2 generation failed, 64 bad usage.

const int ExitOk = 0;
const int ExitOutOfDate = 1;
const int ExitFailed = 2;
const int ExitUsage = 64;

string? headerArgument = null;
string? outputArgument = null;
var check = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--header" when i + 1 < args.Length:
            headerArgument = args[++i];
            break;
        case "--out" when i + 1 < args.Length:
            outputArgument = args[++i];
            break;
        case "--check":
            check = true;
            break;
        case "-h":
        case "--help":
            PrintUsage(Console.Out);
            return ExitOk;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'.");
            PrintUsage(Console.Error);
            return ExitUsage;
    }
}

string headerPath;
string outputDirectory;
if (headerArgument is not null && outputArgument is not null)
{
    headerPath = Path.GetFullPath(headerArgument);
    outputDirectory = Path.GetFullPath(outputArgument);
}
else
{
    var root = RepositoryLayout.FindRoot(Environment.CurrentDirectory) ?? RepositoryLayout.FindRoot(AppContext.BaseDirectory);
    if (root is null)
    {
        Console.Error.WriteLine(
            $"Cannot find the repository root ({RepositoryLayout.SolutionFileName}) above {Environment.CurrentDirectory}; pass --header and --out.");
        return ExitUsage;
    }

    headerPath = Path.GetFullPath(headerArgument ?? Path.Combine(root, RepositoryLayout.DefaultHeader));
    outputDirectory = Path.GetFullPath(outputArgument ?? Path.Combine(root, RepositoryLayout.DefaultOutputDirectory));
}

IReadOnlyDictionary<string, string> files;
try
{
    files = Generator.Generate(headerPath);
}
catch (BindingsGeneratorException exception)
{
    Console.Error.WriteLine("error: " + exception.Message);
    return ExitFailed;
}

var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
if (check)
{
    var outOfDate = 0;
    foreach (var (name, content) in files)
    {
        var path = Path.Combine(outputDirectory, name);
        var existing = File.Exists(path) ? File.ReadAllText(path, utf8) : null;
        var difference = GeneratedFileComparer.FirstDifference(content, existing);
        if (difference is not null)
        {
            Console.Error.WriteLine($"{path}: out of date: {difference}");
            outOfDate++;
        }
    }

    if (outOfDate > 0)
    {
        Console.Error.WriteLine($"{outOfDate} generated file(s) differ from {headerPath}; run ./build.sh bindings and commit the result.");
        return ExitOutOfDate;
    }

    Console.WriteLine($"Bindings are up to date with {headerPath}.");
    return ExitOk;
}

Directory.CreateDirectory(outputDirectory);
foreach (var (name, content) in files)
{
    var path = Path.Combine(outputDirectory, name);
    var unchanged = File.Exists(path) && File.ReadAllText(path, utf8) == content;
    if (!unchanged)
    {
        File.WriteAllText(path, content, utf8); // untouched files keep their timestamps: no needless rebuilds
    }

    Console.WriteLine($"{(unchanged ? "unchanged" : "wrote")} {path}");
}

return ExitOk;

static void PrintUsage(TextWriter writer)
{
    writer.WriteLine("Usage: dotnet run --project bindings/generator -- [--header <pixellm.h>] [--out <dir>] [--check]");
    writer.WriteLine($"  --header  the C header (default: <repo>/{RepositoryLayout.DefaultHeader})");
    writer.WriteLine($"  --out     where the generated files go (default: <repo>/{RepositoryLayout.DefaultOutputDirectory})");
    writer.WriteLine("  --check   write nothing; exit 1 and name the files that differ from a fresh generation");
}
