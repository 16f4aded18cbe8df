using NUnit.Framework;
using PixelLM.Pixel;

namespace PixelLM.Tests.Pixel;

public sealed class VisionFeatureCacheTests
{
    // 4 image tokens and 2 x 6 patch features of width 2: (8 + 24) floats = 128 bytes per entry.
    private const long EntryBytes = 128;

    private static VisionFeatures Features(float mark = 0, int tokens = 4) =>
        new(Enumerable.Repeat(mark, tokens * 2).ToArray(), new float[2 * 6 * 2], tokens, 6, 2);

    [Test]
    public void HoldsEntriesUpToTheBudgetAndEvictsTheLeastRecentlyUsed()
    {
        var cache = new VisionFeatureCache(3 * EntryBytes);
        Assert.That(Features().ByteSize, Is.EqualTo(EntryBytes));
        cache.Add("a", Features(1));
        cache.Add("b", Features(2));
        cache.Add("c", Features(3));
        Assert.That(cache.TryGet("a", out _), Is.True); // a is now the most recent; b the least
        cache.Add("d", Features(4));
        Assert.Multiple(() =>
        {
            Assert.That(cache.Count, Is.EqualTo(3));
            Assert.That(cache.Bytes, Is.EqualTo(3 * EntryBytes));
            Assert.That(cache.TryGet("b", out _), Is.False, "b was the least recently used");
            Assert.That(cache.TryGet("a", out VisionFeatures? a) && a.ImageTokens[0] == 1, Is.True);
            Assert.That(cache.TryGet("c", out _), Is.True);
            Assert.That(cache.TryGet("d", out _), Is.True);
        });
    }

    [Test]
    public void EvictsAsManyEntriesAsALargeOneNeeds()
    {
        var cache = new VisionFeatureCache(4 * EntryBytes);
        cache.Add("a", Features());
        cache.Add("b", Features());
        cache.Add("c", Features());
        var large = Features(tokens: 20); // (40 + 24) floats = 2 entries
        Assert.That(large.ByteSize, Is.EqualTo(2 * EntryBytes));
        Assert.That(cache.Add("large", large), Is.True); // 3 + 2 entries' bytes: a must go
        Assert.Multiple(() =>
        {
            Assert.That(cache.Bytes, Is.EqualTo(4 * EntryBytes));
            Assert.That(cache.TryGet("a", out _), Is.False);
            Assert.That(cache.TryGet("b", out _), Is.True);
            Assert.That(cache.TryGet("large", out _), Is.True);
        });
    }

    [Test]
    public void DoesNotCacheAnEntryLargerThanTheBudgetAndKeepsTheOthers()
    {
        var cache = new VisionFeatureCache(2 * EntryBytes);
        cache.Add("a", Features());
        var huge = Features(tokens: 100);
        Assert.Multiple(() =>
        {
            Assert.That(cache.Add("huge", huge), Is.False);
            Assert.That(cache.TryGet("huge", out _), Is.False);
            Assert.That(cache.TryGet("a", out _), Is.True);
            Assert.That(cache.GetOrAdd("huge2", () => huge), Is.SameAs(huge), "an oversize result is still returned");
            Assert.That(cache.Bytes, Is.EqualTo(EntryBytes));
        });
    }

    [Test]
    public void ReplacingAKeyChargesOnlyTheNewEntry()
    {
        var cache = new VisionFeatureCache(2 * EntryBytes);
        cache.Add("a", Features(1));
        cache.Add("a", Features(2));
        Assert.That(cache.Count, Is.EqualTo(1));
        Assert.That(cache.Bytes, Is.EqualTo(EntryBytes));
        Assert.That(cache.TryGet("a", out VisionFeatures? a) && a.ImageTokens[0] == 2, Is.True);
        Assert.That(cache.Remove("a"), Is.True);
        Assert.That(cache.Bytes, Is.Zero);
    }

    [Test]
    public void GetOrAddComputesOnlyOnAMissAndCountsHitsAndMisses()
    {
        var cache = new VisionFeatureCache(10 * EntryBytes);
        int computed = 0;
        VisionFeatures first = cache.GetOrAdd("img", () => { computed++; return Features(); });
        VisionFeatures second = cache.GetOrAdd("img", () => { computed++; return Features(); });
        Assert.Multiple(() =>
        {
            Assert.That(computed, Is.EqualTo(1));
            Assert.That(second, Is.SameAs(first));
            Assert.That(cache.Hits, Is.EqualTo(1));
            Assert.That(cache.Misses, Is.EqualTo(1));
        });
    }

    [Test]
    public void StaysConsistentUnderConcurrentUse()
    {
        var cache = new VisionFeatureCache(8 * EntryBytes);
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            string key = (i % 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
            VisionFeatures f = cache.GetOrAdd(key, () => Features(i % 20));
            Assert.That(f.ImageTokens[0], Is.EqualTo(i % 20));
        });
        Assert.That(cache.Count, Is.LessThanOrEqualTo(8));
        Assert.That(cache.Bytes, Is.EqualTo(cache.Count * EntryBytes));
        cache.Clear();
        Assert.That(cache.Count, Is.Zero);
        Assert.That(cache.Bytes, Is.Zero);
    }

    [Test]
    public void RefusesANegativeBudget() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new VisionFeatureCache(-1));
}
