namespace PixelLM.Pixel;

/// <summary>
/// Recently computed <see cref="VisionFeatures"/>, keyed by a string that identifies the decoded pixels and
/// their preprocessing (the image pipeline's <c>PreprocessedImage.CacheKey</c>), so a second question about the
/// same image skips the vision tower. Holds at most <see cref="ByteBudget"/> bytes of features and evicts the
/// least recently used entries first.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="GetOrAdd"/> runs the computation outside the lock, so two threads missing the same
/// key at once may both compute it; the first to finish is cached and both results are equal. Features larger
/// than the whole budget are returned but not cached.
/// </remarks>
public sealed class VisionFeatureCache
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private long _bytes;
    private long _hits;
    private long _misses;

    /// <summary>Creates an empty cache that holds at most <paramref name="byteBudget"/> bytes of features.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="byteBudget"/> is negative.</exception>
    public VisionFeatureCache(long byteBudget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteBudget);
        ByteBudget = byteBudget;
    }

    /// <summary>The most bytes of features held at once.</summary>
    public long ByteBudget { get; }

    /// <summary>Bytes of features held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
                return _bytes;
        }
    }

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count;
        }
    }

    /// <summary>Lookups that found their key.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that did not.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The features cached under <paramref name="key"/>, marking them most recently used.</summary>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out VisionFeatures? features)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                Interlocked.Increment(ref _hits);
                features = node.Value.Features;
                return true;
            }
        }
        Interlocked.Increment(ref _misses);
        features = null;
        return false;
    }

    /// <summary>
    /// Caches <paramref name="features"/> under <paramref name="key"/> as the most recently used entry (replacing
    /// what the key held), evicting least recently used entries until the budget holds. Returns false, caching
    /// nothing, when the features alone exceed the budget.
    /// </summary>
    public bool Add(string key, VisionFeatures features)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(features);
        long size = features.ByteSize;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? old))
                RemoveNode(old);
            if (size > ByteBudget)
                return false;
            while (_bytes + size > ByteBudget)
                RemoveNode(_recency.Last!);
            _entries[key] = _recency.AddFirst(new Entry(key, features, size));
            _bytes += size;
            return true;
        }
    }

    /// <summary>
    /// The features cached under <paramref name="key"/>, or the result of <paramref name="compute"/> (typically
    /// <see cref="PixelContext.EncodeImage(ReadOnlySpan{float}, int, int)"/>), which is then cached.
    /// </summary>
    public VisionFeatures GetOrAdd(string key, Func<VisionFeatures> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        if (TryGet(key, out VisionFeatures? cached))
            return cached;
        VisionFeatures features = compute() ?? throw new InvalidOperationException("compute returned null");
        Add(key, features);
        return features;
    }

    /// <summary>Drops the entry of <paramref name="key"/>; false when there was none.</summary>
    public bool Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out LinkedListNode<Entry>? node))
                return false;
            RemoveNode(node);
            return true;
        }
    }

    /// <summary>Drops every entry.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _recency.Clear();
            _bytes = 0;
        }
    }

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Bytes;
    }

    private sealed record Entry(string Key, VisionFeatures Features, long Bytes);
}
