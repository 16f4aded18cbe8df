using NUnit.Framework;
using PixelLM.Imaging;
using PixelLM.Segmentation;
using PixelLM.Tests.Parity;

namespace PixelLM.Tests.Segmentation;

/// <summary>
/// <see cref="PixelLmSession"/> as a product: streaming, multi-turn reuse, cancellation, misuse and bad
/// input, on the converted tiny f32 pair. The answers of a random model are meaningless; these tests
/// look at the session's behaviour, the parity tests at its numbers.
/// </summary>
[TestFixture]
public sealed class PixelLmSessionTests
{
    private static readonly int[] TwoTargets =
        [450, 560, 5843, 32003, 32004, 32005, 32006, 32007, 32008, 322, 278, 3800, 32003, 32004, 32005, 32006, 32007, 32008, 869, 2];

    private PixelLmModel _model = null!;
    private PixelImage _photo = null!;
    private PixelImage _grey = null!;

    [OneTimeSetUp]
    public void Load()
    {
        _model = PixelLmModel.LoadDirectory(TestData.Require("gguf", "tiny-f32"));
        _photo = PixelImage.Load(TestData.Require("images", "photo_exif6.jpg"));
        _grey = PixelImage.Load(TestData.Require("images", "grey_123x77.png"));
    }

    [OneTimeTearDown]
    public void Free()
    {
        _grey.Dispose();
        _photo.Dispose();
        _model.Dispose();
    }

    private PixelLmSession Session(IReadOnlyList<int>? forced = null, int maxNewTokens = 8) =>
        _model.CreateSession(new PixelLmSessionOptions { Threads = 2, MaxNewTokens = maxNewTokens, ForcedAnswer = forced });

    [Test]
    public async Task StreamsTextThenEachMaskThenTheResult()
    {
        using PixelLmSession session = Session(TwoTargets, maxNewTokens: 64);
        var events = new List<SegmentationEvent>();
        await foreach (SegmentationEvent e in session.StreamAsync(_grey, "Which shapes are orange or blue?"))
            events.Add(e);
        var result = ((SegmentationCompleted)events[^1]).Result;
        Assert.That(string.Concat(events.OfType<TextDelta>().Select(d => d.Text)), Is.EqualTo(result.Text));
        Assert.That(result.Text, Is.EqualTo("The ellipse and the box."));
        List<Segment> streamed = [.. events.OfType<SegmentReady>().Select(r => r.Segment)];
        Assert.That(streamed.Select(s => s.Index), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(result.Segments, Is.EqualTo(streamed));
        // The first mask is ready before the text that follows it.
        int firstMask = events.FindIndex(e => e is SegmentReady);
        Assert.That(events.Skip(firstMask).OfType<TextDelta>().Any(), Is.True);
        Assert.That(result.Segments[0].Mask.Width, Is.EqualTo(_grey.Width));
        Assert.That(result.Segments[0].Mask.Height, Is.EqualTo(_grey.Height));
    }

    [Test]
    public async Task AFollowUpReusesTheImageAndTheCache_AnotherImageStartsOver()
    {
        using PixelLmSession session = Session();
        SegmentationResult first = await session.SegmentAsync(_photo, "What is this?");
        int afterFirst = session.ConversationLength;
        Assert.That(first.Timings.Vision, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(afterFirst, Is.GreaterThan(256));

        SegmentationResult second = await session.SegmentAsync(_photo, "And what else?");
        Assert.That(second.Timings.Vision, Is.EqualTo(TimeSpan.Zero), "a follow-up runs no vision stage");
        Assert.That(session.ConversationLength, Is.GreaterThan(afterFirst));

        SegmentationResult third = await session.SegmentAsync(_grey, "What is this?");
        Assert.That(third.Timings.FeatureCacheHit, Is.False);
        Assert.That(session.ConversationLength, Is.LessThan(afterFirst + 20), "a new image starts a new conversation");

        // The same image in a fresh session comes from the model's feature cache.
        using PixelLmSession other = Session();
        SegmentationResult cached = await other.SegmentAsync(_photo, "What is this?");
        Assert.That(cached.Timings.FeatureCacheHit, Is.True);
        Assert.That(cached.TokenIds, Is.EqualTo(first.TokenIds), "same image and question, same greedy answer");
    }

    [Test]
    public async Task ACancelledAnswerLeavesTheConversationAsItWas()
    {
        using PixelLmSession session = Session(maxNewTokens: 6);
        SegmentationResult before = await session.SegmentAsync(_photo, "What is this?");
        int length = session.ConversationLength;
        using var cancel = new CancellationTokenSource();
        Assert.That(async () =>
        {
            await foreach (SegmentationEvent e in session.StreamAsync(_photo, "Tell me more.", cancel.Token))
                cancel.Cancel();
        }, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(session.ConversationLength, Is.EqualTo(length));
        SegmentationResult again = await session.SegmentAsync(_photo, "Tell me more.");
        Assert.That(again.TokenIds, Is.Not.Empty);
        Assert.That(before.TokenIds, Is.Not.Empty);
    }

    [Test]
    public void RejectsEmptyInvalidAndOverlongQuestions()
    {
        using PixelLmSession session = _model.CreateSession(new PixelLmSessionOptions { Threads = 1, ContextLength = 400 });
        Assert.That(() => session.SegmentAsync(_photo, "  \n"), Throws.ArgumentException.With.Message.Contains("empty"));
        Assert.That(() => session.SegmentAsync(_photo, "bad \uD800 surrogate"), Throws.ArgumentException.With.Message.Contains("not valid text"));
        string longQuestion = string.Join(' ', Enumerable.Repeat("segment the red triangle please", 60));
        Assert.That(() => session.SegmentAsync(_photo, longQuestion), Throws.InstanceOf<PixelLmContextFullException>());
        Assert.That(session.ConversationLength, Is.Zero, "refused questions change nothing");
        Assert.That(() => session.SegmentAsync(_photo, "Short one?"), Throws.Nothing);
    }

    [Test]
    public async Task RefusesConcurrentUseAndUseAfterDispose()
    {
        PixelLmSession session = Session(maxNewTokens: 4);
        await using (IAsyncEnumerator<SegmentationEvent> running = session.StreamAsync(_photo, "What is this?").GetAsyncEnumerator())
        {
            Assert.That(await running.MoveNextAsync(), Is.True);
            Assert.That(() => session.SegmentAsync(_photo, "Me too?"), Throws.InvalidOperationException.With.Message.Contains("already in use"));
            Assert.That(() => session.Dispose(), Throws.InvalidOperationException);
        }
        session.Dispose();
        Assert.That(() => session.SegmentAsync(_photo, "Still there?"), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void OptionsOutOfRangeAreNamed()
    {
        Assert.That(() => _model.CreateSession(new PixelLmSessionOptions { MaxNewTokens = 0 }),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("MaxNewTokens"));
        Assert.That(() => _model.CreateSession(new PixelLmSessionOptions { MaskSize = (0, 5) }),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("MaskSize"));
        Assert.That(() => PixelLmModel.LoadDirectory("/nonexistent/model"), Throws.InstanceOf<DirectoryNotFoundException>());
    }
}
