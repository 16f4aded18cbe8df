using System.Runtime.CompilerServices;
using System.Text;
using PixelLM.Imaging;
using PixelLM.Llm;
using PixelLM.Pixel;

namespace PixelLM.Segmentation;

/// <summary>
/// One conversation about an image: ask a question, get the answer with a mask for every object it
/// names. A follow-up question about the same image continues the conversation, reusing the image's
/// features and the KV cache of the earlier turns; a question about another image starts a new one.
/// </summary>
/// <remarks>
/// A session serves one caller at a time: a call while another runs throws
/// <see cref="InvalidOperationException"/>. A cancelled or failed call leaves the conversation as it was
/// before the call, so the session stays usable.
/// </remarks>
public sealed class PixelLmSession : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly PixelLmModel _model;
    private readonly PixelLmSessionOptions _options;
    private readonly LanguageModelContext _llm;
    private readonly PixelContext _pixel;
    private readonly SegmentationStages _stages;
    private Conversation? _conversation;
    private int _busy;
    private volatile bool _disposed;

    internal PixelLmSession(PixelLmModel model, PixelLmSessionOptions options)
    {
        _model = model;
        _options = options;
        _llm = model.LanguageModel.CreateContext(new LanguageModelContextOptions
        {
            Threads = options.Threads,
            ContextLength = options.ContextLength,
            Sequences = 1,
        });
        try
        {
            _pixel = model.PixelModel.CreateContext(options.Threads);
        }
        catch
        {
            _llm.Dispose();
            throw;
        }
        _stages = new SegmentationStages(model, _pixel, options);
    }

    /// <summary>Positions the conversation may hold.</summary>
    public int ContextLength => _llm.ContextLength;

    /// <summary>Positions the conversation holds now (0 before the first question).</summary>
    public int ConversationLength => _conversation?.Length ?? 0;

    /// <summary>Answers <paramref name="question"/> about <paramref name="image"/>.</summary>
    /// <exception cref="ArgumentException">The question is empty or not valid text.</exception>
    /// <exception cref="PixelLmContextFullException">The question does not fit the rest of the context.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the conversation is as before the call.</exception>
    /// <exception cref="InvalidOperationException">Another call is running on this session.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public async Task<SegmentationResult> SegmentAsync(PixelImage image, string question, CancellationToken cancellationToken = default)
    {
        SegmentationResult? result = null;
        await foreach (SegmentationEvent e in RunAsync(image, question, streamMasks: false, cancellationToken).ConfigureAwait(false))
        {
            if (e is SegmentationCompleted completed)
                result = completed.Result;
        }
        return result ?? throw new InvalidOperationException("The answer ended without a result.");
    }

    /// <summary>
    /// Answers <paramref name="question"/> about <paramref name="image"/> as a stream: text deltas while the
    /// answer is generated, each mask as soon as its codebook tokens are complete, and the whole result last.
    /// </summary>
    /// <remarks>Masks stream only under <see cref="CodebookGroupRule.CompleteGroups"/>; under the original rule a later stray codebook token could still void them, so they come at the end.</remarks>
    /// <exception cref="ArgumentException">The question is empty or not valid text.</exception>
    public IAsyncEnumerable<SegmentationEvent> StreamAsync(PixelImage image, string question, CancellationToken cancellationToken = default) =>
        RunAsync(image, question, streamMasks: _options.GroupRule == CodebookGroupRule.CompleteGroups, cancellationToken);

    /// <summary>Forgets the conversation; the next question starts a new one.</summary>
    /// <exception cref="InvalidOperationException">A call is running on this session.</exception>
    public void Reset()
    {
        using var use = Enter();
        _llm.TruncateSequence(0, 0);
        _conversation = null;
    }

    /// <summary>Frees the KV cache, the scratch and the thread pools.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
            throw new InvalidOperationException("The session cannot be disposed while a call is running on it; cancel the call first.");
        _disposed = true;
        _pixel.Dispose();
        _llm.Dispose();
    }

    private async IAsyncEnumerable<SegmentationEvent> RunAsync(PixelImage image, string question, bool streamMasks,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckQuestion(question);
        using var use = Enter();
        var clock = new StageClock();
        Conversation? before = _conversation;
        int keep = before?.Length ?? 0;
        var turn = new Turn(this, clock);
        bool committed = false;
        try
        {
            await Task.Run(() => turn.Prepare(image, question, before), cancellationToken).ConfigureAwait(false);
            await Task.Run(turn.Prefill, cancellationToken).ConfigureAwait(false);
            while (!turn.Finished)
            {
                cancellationToken.ThrowIfCancellationRequested();
                List<SegmentationEvent> events = await Task.Run(() => turn.Step(streamMasks), cancellationToken).ConfigureAwait(false);
                foreach (SegmentationEvent e in events)
                    yield return e;
            }
            SegmentationResult result = await Task.Run(turn.Complete, cancellationToken).ConfigureAwait(false);
            _conversation = turn.Conversation;
            committed = true;
            yield return new SegmentationCompleted(result);
        }
        finally
        {
            if (!committed && turn.TouchedCache)
            {
                // Undo the partial turn: back to the end of the last complete turn of the same
                // conversation, or to nothing when the turn had started a new one.
                bool followUp = before is not null && ReferenceEquals(turn.Conversation, before);
                _llm.TruncateSequence(0, followUp ? keep : 0);
                _conversation = followUp ? before : null;
            }
        }
    }

    private static void CheckQuestion(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (string.IsNullOrWhiteSpace(question))
            throw new ArgumentException("The question is empty.", nameof(question));
        try
        {
            StrictUtf8.GetByteCount(question);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"The question is not valid text: {e.Message}", nameof(question), e);
        }
    }

    private Use Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            // Dispose leaves the session marked busy for good.
            ObjectDisposedException.ThrowIf(_disposed, this);
            throw new InvalidOperationException("This session is already in use by another call; a session serves one caller at a time.");
        }
        if (_disposed)
        {
            Volatile.Write(ref _busy, 0);
            throw new ObjectDisposedException(nameof(PixelLmSession));
        }
        return new Use(this);
    }

    private readonly struct Use(PixelLmSession owner) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref owner._busy, 0);
    }

    /// <summary>One question and its answer, from the prompt to the masks.</summary>
    private sealed class Turn(PixelLmSession session, StageClock clock)
    {
        private readonly List<int> _promptIds = [];
        private AnswerAssembler? _answer;
        private readonly TokenSampler _greedy = new(new GenerationOptions());
        private readonly List<Segment> _streamed = [];
        private int _position;
        private int _generated;
        private bool _reachedLimit;

        public Conversation? Conversation { get; private set; }

        public bool Finished { get; private set; }

        /// <summary>True once the turn has changed the KV cache.</summary>
        public bool TouchedCache { get; private set; }

        public void Prepare(PixelImage image, string question, Conversation? before)
        {
            SegmentationStages stages = session._stages;
            PreprocessedImage pre = clock.Time(Stage.Preprocess, () => stages.Preprocess(image));
            if (before is not null && before.Image.CacheKey == pre.CacheKey)
            {
                Conversation = before;
                _promptIds.AddRange(session._model.PromptBuilder.BuildFollowUp(question));
            }
            else
            {
                Conversation = stages.Start(pre, clock);
                _promptIds.AddRange(session._model.PromptBuilder.Build(question));
            }
            _position = Conversation.Length;
            int needed = _promptIds.Count + (Conversation.Length == 0 ? stages.ImageTokenCount - 1 : 0);
            if (_position + needed + 1 > session._llm.ContextLength)
                throw new PixelLmContextFullException(
                    $"The question needs {needed} positions and an answer at least one more, but the conversation holds {_position} " +
                    $"of {session._llm.ContextLength}; ask a shorter question, Reset() the session, or use a longer context.", string.Empty);
            _answer = new AnswerAssembler(session._model.Tokenizer.Vocabulary, session._model.PixelModel.Info.SegTokenIds,
                session._model.LanguageModel.Info.EmbeddingWidth);
        }

        public void Prefill()
        {
            TouchedCache = true;
            clock.Time(Stage.Prefill, () =>
            {
                SegmentationStages stages = session._stages;
                if (Conversation!.Length == 0)
                    session._llm.TruncateSequence(0, 0);
                var batch = new DecodeBatch(session._model.LanguageModel.Info.EmbeddingWidth);
                for (int i = 0; i < _promptIds.Count; i++)
                {
                    bool last = i == _promptIds.Count - 1;
                    if (_promptIds[i] == Tokenization.PixelLmPromptBuilder.ImagePlaceholderId)
                        stages.AddImageTokens(batch, Conversation!, ref _position);
                    else
                        batch.AddToken(_promptIds[i], 0, _position++, output: last);
                }
                session._llm.Decode(batch);
            });
        }

        public List<SegmentationEvent> Step(bool streamMasks)
        {
            var events = new List<SegmentationEvent>(2);
            LanguageModelContext llm = session._llm;
            IReadOnlyList<int>? forced = session._options.ForcedAnswer;
            int token = forced is null ? _greedy.Next(llm.GetLogits(0)) : forced[_generated];
            _generated++;
            if (token == session._model.Tokenizer.Vocabulary.EosId)
            {
                Finished = true;
                return events;
            }
            bool codebook = _answer!.IsCodebookToken(token);
            var (delta, group) = _answer.Add(token, codebook ? llm.GetHiddenState(0) : default);
            if (delta.Length > 0)
                events.Add(new TextDelta(delta));
            if (group is not null && streamMasks)
            {
                Segment segment = session._stages.DecodeSegments([group], _answer.Text, Conversation!, clock)[0];
                _streamed.Add(segment);
                events.Add(new SegmentReady(segment));
            }
            if (_generated >= session._options.MaxNewTokens || _position >= llm.ContextLength || _generated == forced?.Count)
            {
                _reachedLimit = true;
                Finished = true;
                return events;
            }
            clock.Time(Stage.Generation, () =>
            {
                var batch = new DecodeBatch();
                batch.AddToken(token, 0, _position++, output: true);
                llm.Decode(batch);
            });
            return events;
        }

        public SegmentationResult Complete()
        {
            AnswerAssembler answer = _answer!;
            answer.Finish();
            IReadOnlyList<CodebookGroup> groups = answer.GroupsUnder(session._options.GroupRule);
            List<Segment> segments = [.. _streamed];
            if (groups.Count > _streamed.Count)
                segments.AddRange(session._stages.DecodeSegments(groups.Skip(_streamed.Count).ToList(), answer.Text, Conversation!, clock));
            Conversation = Conversation! with { Length = _position };
            return new SegmentationResult(answer.Text, segments, clock.ToTimings(_generated, Conversation.FeatureCacheHit),
                [.. answer.TokenIds], answer.PendingCodebookTokens, _reachedLimit);
        }
    }
}
