namespace PixelLM.Segmentation;

/// <summary>Something <see cref="PixelLmSession.StreamAsync"/> reports while an answer is being generated.</summary>
public abstract record SegmentationEvent;

/// <summary>More answer text (codebook tokens removed); the deltas joined make the final text.</summary>
/// <param name="Text">The new text.</param>
public sealed record TextDelta(string Text) : SegmentationEvent;

/// <summary>A mask, reported as soon as its codebook tokens are complete, while generation goes on.</summary>
/// <param name="Segment">The finished segment.</param>
public sealed record SegmentReady(Segment Segment) : SegmentationEvent;

/// <summary>The answer is complete; always the last event.</summary>
/// <param name="Result">The whole result, as <see cref="PixelLmSession.SegmentAsync"/> returns it.</param>
public sealed record SegmentationCompleted(SegmentationResult Result) : SegmentationEvent;
