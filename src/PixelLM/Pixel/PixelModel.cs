using PixelLM.Interop;
using PixelLM.Llm;

namespace PixelLM.Pixel;

/// <summary>
/// The pixel file of a PixelLM pair (the <c>pixel.gguf</c> that <c>pixellm convert</c> writes): the CLIP
/// vision tower, the two projectors, the codebook MLP and the pixel decoder.
/// </summary>
/// <remarks>
/// Thread safety: immutable once loaded; share it between any number of threads and contexts. Disposing
/// it while contexts are alive is safe: the native model is freed when the last of them is disposed.
/// </remarks>
public sealed unsafe class PixelModel : IDisposable
{
    private readonly SafePixelModelHandle _handle;
    private volatile bool _disposed;

    private PixelModel(SafePixelModelHandle handle, string path, PixelModelInfo info)
    {
        _handle = handle;
        Path = path;
        Info = info;
    }

    /// <summary>Loads and checks the pixel file at <paramref name="path"/> (memory-mapped).</summary>
    /// <exception cref="PixelLmIOException">The file cannot be read.</exception>
    /// <exception cref="PixelLmFormatException">The file is damaged or its hyper-parameters are inconsistent; the message names the key or tensor.</exception>
    /// <exception cref="PixelLmUnsupportedException">The file holds another architecture or a configuration the engine does not run.</exception>
    public static PixelModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        NativeLibraryLoader.EnsureInitialized();
        Span<byte> stack = stackalloc byte[Utf8StringBuffer.StackSize];
        using var path8 = new Utf8StringBuffer(path, stack, nameof(path));
        pxl_pixel_model* model = null;
        pxl_status status;
        fixed (byte* pathPointer = path8.WithTerminator)
            status = NativeMethods.pxl_pixel_model_load(pathPointer, null, &model);
        NativeStatus.ThrowIfFailed(status, path);
        SafePixelModelHandle handle = SafePixelModelHandle.FromNative(model);
        try
        {
            return new PixelModel(handle, path, ReadInfo(model));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The file the model was loaded from.</summary>
    public string Path { get; }

    /// <summary>The model's hyper-parameters.</summary>
    public PixelModelInfo Info { get; }

    /// <summary>
    /// Checks that <paramref name="languageModel"/> is the language model this pixel file belongs to
    /// (same width and vocabulary).
    /// </summary>
    /// <exception cref="PixelLmInvalidArgumentException">The two files do not belong together; the message says why.</exception>
    public void CheckPair(LanguageModel languageModel)
    {
        ArgumentNullException.ThrowIfNull(languageModel);
        using var pixel = new SafeHandleLease(_handle);
        using var llm = languageModel.Lease();
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_pixel_model_check_pair((pxl_model*)llm.Pointer,
            (pxl_pixel_model*)pixel.Pointer));
    }

    /// <summary>Creates a pixel context: a thread pool of its own and the scratch of the tower and the decoder.</summary>
    /// <param name="threads">Threads, the caller's included; 0 for the physical cores.</param>
    /// <param name="maxTargets">
    /// Targets the pixel decoder computes in one batch (0: 16); more in one call run in batches of this size.
    /// The decoder's scratch grows with it (about 12 MiB per target for the release models).
    /// </param>
    /// <param name="visionCompute">Arithmetic of the vision tower and the projectors.</param>
    /// <exception cref="PixelLmInvalidArgumentException"><paramref name="threads"/> or <paramref name="maxTargets"/> is negative.</exception>
    /// <exception cref="PixelLmUnsupportedException"><see cref="VisionComputeType.BFloat16"/> on a CPU without AVX512_BF16.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public PixelContext CreateContext(int threads = 0, int maxTargets = 0, VisionComputeType visionCompute = VisionComputeType.Float32)
    {
        pxl_pixel_context_params parameters = NativeMethods.pxl_pixel_context_default_params();
        parameters.n_threads = threads;
        parameters.max_targets = maxTargets;
        parameters.vision_compute_type = (pxl_compute_type)visionCompute;
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            pxl_pixel_context* context = null;
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_pixel_context_create(
                (pxl_pixel_model*)_handle.DangerousGetHandle(), &parameters, &context));
            var handle = SafePixelContextHandle.FromNative(context, _handle);
            added = false; // owned by the context handle now
            return new PixelContext(handle, Info);
        }
        finally
        {
            if (added)
                _handle.DangerousRelease();
        }
    }

    /// <summary>Releases this reference to the native model; contexts keep it alive until they are disposed.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    private static PixelModelInfo ReadInfo(pxl_pixel_model* model)
    {
        pxl_pixel_model_info info = default;
        info.struct_size = (ulong)sizeof(pxl_pixel_model_info);
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_pixel_model_get_info(model, &info));
        var segIds = new int[info.seg_token_num * info.scale_num];
        fixed (int* ids = segIds)
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_pixel_model_seg_ids(model, ids, segIds.Length));
        var mean = new float[3];
        var std = new float[3];
        fixed (float* meanPointer = mean)
        fixed (float* stdPointer = std)
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_pixel_model_normalization(model, meanPointer, stdPointer));
        return new PixelModelInfo(info.image_size, info.patch_size, info.vision_n_embd, info.vision_n_layer,
            info.vision_n_head, info.image_token_grid, info.llm_n_embd, info.llm_n_vocab, info.decoder_n_embd,
            info.seg_token_num, info.scale_num, segIds, info.im_start_id, info.im_end_id, mean, std,
            info.mask_feature_n_embd, info.decoder_n_mask_tokens, info.vision_n_ff);
    }
}
