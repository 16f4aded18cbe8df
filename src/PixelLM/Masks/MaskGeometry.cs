namespace PixelLM.Masks;

/// <summary>
/// The sizes mask post-processing needs (spec §9.1): (h', w'), the image after its longest side was resized
/// to 448 inside the square the model saw, and (H, W), the original image.
/// </summary>
/// <param name="InputHeight">h'.</param>
/// <param name="InputWidth">w'.</param>
/// <param name="Height">H, rows of the original image.</param>
/// <param name="Width">W, columns of the original image.</param>
public readonly record struct MaskGeometry(int InputHeight, int InputWidth, int Height, int Width)
{
    /// <summary>The side of the square the low-resolution masks are first resized to: max(h', w').</summary>
    public int SquareSide => Math.Max(InputHeight, InputWidth);

    internal void Validate()
    {
        MaskArguments.RequireSize(InputHeight, InputWidth, "input size (h', w')");
        MaskArguments.RequireSize(Height, Width, "original size (H, W)");
        if ((long)Height * Width > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(Height), $"The original size {Height} x {Width} has more pixels than one buffer can hold.");
    }
}
