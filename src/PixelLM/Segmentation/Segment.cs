using PixelLM.Masks;

namespace PixelLM.Segmentation;

/// <summary>One object the answer names, with its mask.</summary>
/// <param name="Index">0 for the first mask of the answer.</param>
/// <param name="Label">The phrase the model tied to the mask ("the red triangle").</param>
/// <param name="TextSpan">Where <paramref name="Label"/> stands in <see cref="SegmentationResult.Text"/>.</param>
/// <param name="Mask">The binary mask at the requested size (the image's size by default).</param>
/// <param name="Score">Mean probability inside the mask, as the reference computes it (spec §9.2).</param>
/// <param name="Box">Bounding box [x, y, width, height] in mask pixels (COCO convention); empty for an empty mask.</param>
/// <param name="Area">Pixels in the mask.</param>
public sealed record Segment(int Index, string Label, TextSpan TextSpan, Mask Mask, float Score, MaskBox Box, long Area);
