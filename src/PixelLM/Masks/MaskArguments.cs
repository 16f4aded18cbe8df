namespace PixelLM.Masks;

/// <summary>The argument checks the mask kernels and encoders share, each naming what is wrong.</summary>
internal static class MaskArguments
{
    /// <summary>Sizes are positive and the buffer holds exactly [height, width] elements.</summary>
    public static void RequirePlane<T>(ReadOnlySpan<T> buffer, int height, int width, string name)
    {
        RequireSize(height, width, name);
        if (buffer.Length != (long)height * width)
            throw new ArgumentException($"{name} holds {buffer.Length} values; [{height}, {width}] needs {(long)height * width}.", name);
    }

    /// <inheritdoc cref="RequirePlane{T}(ReadOnlySpan{T}, int, int, string)" />
    public static void RequirePlane<T>(Span<T> buffer, int height, int width, string name) =>
        RequirePlane((ReadOnlySpan<T>)buffer, height, width, name);

    /// <summary>Both sizes are at least 1.</summary>
    public static void RequireSize(int height, int width, string name)
    {
        if (height < 1 || width < 1)
            throw new ArgumentOutOfRangeException(name, $"{name}: sizes must be at least 1 (got {height} x {width}).");
    }

    /// <summary>A window [rows, columns] inside [height, width], all at least 1.</summary>
    public static void RequireWindow(int height, int width, int rows, int columns)
    {
        RequireSize(height, width, "target");
        RequireSize(rows, columns, "window");
        if (rows > height || columns > width)
            throw new ArgumentOutOfRangeException(nameof(rows), $"The window {rows} x {columns} does not fit in the target {height} x {width}.");
    }
}
