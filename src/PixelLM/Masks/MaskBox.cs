namespace PixelLM.Masks;

/// <summary>
/// The tightest box around a mask's pixels in original-image pixels, COCO's <c>[x, y, width, height]</c>
/// (spec §15.6): a mask whose only pixel is (3, 5) has the box (3, 5, 1, 1). An empty mask has (0, 0, 0, 0).
/// </summary>
/// <param name="X">Column of the leftmost pixel.</param>
/// <param name="Y">Row of the topmost pixel.</param>
/// <param name="Width">Columns from the leftmost to the rightmost pixel, both included.</param>
/// <param name="Height">Rows from the topmost to the bottommost pixel, both included.</param>
public readonly record struct MaskBox(int X, int Y, int Width, int Height)
{
    /// <summary>True when the mask has no pixel.</summary>
    public bool IsEmpty => Width == 0 || Height == 0;
}
