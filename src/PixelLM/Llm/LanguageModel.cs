using PixelLM.Interop;

namespace PixelLM.Llm;

/// <summary>
/// A language model (a LLaMA decoder) loaded from a GGUF file in llama.cpp's <c>llama</c> layout, such
/// as the <c>llm.gguf</c> that <c>pixellm convert</c> writes.
/// </summary>
/// <remarks>
/// Thread safety: the model is immutable once loaded and may be shared by any number of threads and
/// contexts. Disposing it while contexts are alive is safe: the native model is freed when the last of
/// them is disposed.
/// </remarks>
public sealed unsafe class LanguageModel : IDisposable
{
    private readonly SafeModelHandle _handle;

    // SafeHandle only reports itself closed once its last reference is gone, and contexts hold
    // references; this flag makes the model unusable from the moment Dispose is called.
    private volatile bool _disposed;

    private LanguageModel(SafeModelHandle handle, string path, LanguageModelInfo info)
    {
        _handle = handle;
        Path = path;
        Info = info;
    }

    /// <summary>Loads and checks the model at <paramref name="path"/> (memory-mapped).</summary>
    /// <param name="path">The GGUF file.</param>
    /// <exception cref="PixelLmIOException">The file cannot be read.</exception>
    /// <exception cref="PixelLmFormatException">The file is damaged, or its tensors contradict its hyper-parameters; the message names the key or tensor.</exception>
    /// <exception cref="PixelLmUnsupportedException">The file holds another architecture or a weight type the engine cannot compute with.</exception>
    public static LanguageModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        NativeLibraryLoader.EnsureInitialized();
        Span<byte> stack = stackalloc byte[Utf8StringBuffer.StackSize];
        using var path8 = new Utf8StringBuffer(path, stack, nameof(path));
        pxl_model* model = null;
        pxl_status status;
        fixed (byte* pathPointer = path8.WithTerminator)
            status = NativeMethods.pxl_model_load(pathPointer, null, &model);
        NativeStatus.ThrowIfFailed(status, path);

        SafeModelHandle handle = SafeModelHandle.FromNative(model);
        pxl_model_info info = default;
        info.struct_size = (ulong)sizeof(pxl_model_info);
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_model_get_info(model, &info));
        return new LanguageModel(handle, path, new LanguageModelInfo(
            checked((int)info.n_vocab), checked((int)info.n_embd), checked((int)info.n_layer), checked((int)info.n_head),
            checked((int)info.n_head_kv), checked((int)info.n_ff), checked((int)info.n_ctx_train)));
    }

    /// <summary>The file the model was loaded from.</summary>
    public string Path { get; }

    /// <summary>The model's hyper-parameters.</summary>
    public LanguageModelInfo Info { get; }

    /// <summary>
    /// Creates a context: a KV cache for <see cref="LanguageModelContextOptions.Sequences"/> sequences,
    /// scratch memory and a thread pool of its own, all allocated now.
    /// </summary>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <exception cref="PixelLmInvalidArgumentException">An option is out of range; the message names it.</exception>
    /// <exception cref="PixelLmOutOfMemoryException">The KV cache does not fit; the message gives its size.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public LanguageModelContext CreateContext(LanguageModelContextOptions? options = null)
    {
        options ??= new LanguageModelContextOptions();
        pxl_context_params parameters = NativeMethods.pxl_context_default_params();
        parameters.n_threads = options.Threads;
        parameters.n_ctx = options.ContextLength;
        parameters.n_seq = options.Sequences;
        parameters.n_batch = options.BatchSize;
        parameters.kv_type = (pxl_kv_type)(int)options.CacheType;

        // The context keeps a reference on the model handle until it is freed itself.
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            pxl_context* context = null;
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_context_create(
                (pxl_model*)_handle.DangerousGetHandle(), &parameters, &context));
            var handle = SafeContextHandle.FromNative(context, _handle);
            added = false; // owned by the context handle now
            int contextLength = options.ContextLength > 0 ? options.ContextLength : Info.TrainedContextLength;
            return new LanguageModelContext(handle, Info, contextLength, options.Sequences, options.BatchSize);
        }
        finally
        {
            if (added)
                _handle.DangerousRelease();
        }
    }

    /// <summary>Keeps the native model alive for the length of one native call that takes it.</summary>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    internal SafeHandleLease Lease()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SafeHandleLease(_handle);
    }

    /// <summary>Releases this reference to the native model; contexts keep it alive until they are disposed.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }
}
