namespace PixelLM.BindingsGenerator;

/// <summary>Where things are in the PixelLM.Native repository, found from its solution file.</summary>
public static class RepositoryLayout
{
    public const string SolutionFileName = "PixelLM.Native.sln";

    /// <summary>The header, relative to the repository root.</summary>
    public const string DefaultHeader = "native/include/pixellm.h";

    /// <summary>The generated files' folder, relative to the repository root.</summary>
    public const string DefaultOutputDirectory = "bindings/generated";

    /// <summary>The nearest folder at or above <paramref name="startDirectory"/> holding the solution file, or null.</summary>
    public static string? FindRoot(string startDirectory)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(startDirectory)); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// How generated files name a header: relative to the repository root with '/' separators, or just
    /// its file name when it lies outside the repository (temporary test headers). Never absolute.
    /// </summary>
    public static string DisplayPath(string headerPath)
    {
        var fullPath = Path.GetFullPath(headerPath);
        var root = FindRoot(Path.GetDirectoryName(fullPath) ?? fullPath);
        if (root is null)
        {
            return Path.GetFileName(fullPath);
        }

        return Path.GetRelativePath(root, fullPath).Replace('\\', '/');
    }
}
