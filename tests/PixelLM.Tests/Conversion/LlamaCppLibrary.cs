using System.Runtime.InteropServices;
using PixelLM.Tests.Interop;

namespace PixelLM.Tests.Conversion;

/// <summary>
/// Just enough of llama.cpp's C API (libllama from npm @node-llama-cpp/linux-x64, fetched by build.sh) to
/// load a GGUF model, tokenize and read the logits of one batch: the proof that the LLM file is in
/// llama.cpp's own layout.
/// </summary>
/// <remarks>
/// <c>llama_model_params</c> and <c>llama_context_params</c> change layout between llama.cpp versions, so
/// they are never mirrored: each is taken from its <c>*_default_params()</c> into an oversized opaque
/// buffer and passed back unchanged (as is the <c>llama_batch</c> of <c>llama_batch_get_one</c>). Both are larger than 16 bytes, so the x86-64 System V ABI returns them
/// through a caller-provided buffer and passes them in stack memory, where the callee reads only its own
/// size: the extra bytes are never looked at. That is why this helper is Linux x86-64 only.
/// </remarks>
internal sealed unsafe class LlamaCppLibrary
{
    private readonly nint _llama;
    private readonly nint _ggml;

    private LlamaCppLibrary(string directory)
    {
        _ggml = NativeLibrary.Load(Path.Combine(directory, "libggml.v0.5.0.so"));
        _llama = NativeLibrary.Load(Path.Combine(directory, "libllama.v0.5.0.so"));
        var setLog = (delegate* unmanaged<delegate* unmanaged<int, byte*, void*, void>, void*, void>)Export("llama_log_set");
        setLog(&Quiet, null);
        using (var path = new NativeUtf8(directory))
            ((delegate* unmanaged<byte*, void>)NativeLibrary.GetExport(_ggml, "ggml_backend_load_all_from_path"))(path.Pointer);
        ((delegate* unmanaged<void>)Export("llama_backend_init"))();
    }

    /// <summary>llama.cpp's CPU build folder, or null when it is absent (not fetched, or not Linux x86-64).</summary>
    internal static string? Directory
    {
        get
        {
            string dir = Path.Combine(InteropTestPaths.RepositoryRoot, ".deps", "llama-cpp", "bins", "linux-x64");
            return OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
                && File.Exists(Path.Combine(dir, "libllama.v0.5.0.so")) ? dir : null;
        }
    }

    private static LlamaCppLibrary? s_shared;

    /// <summary>
    /// The library loaded from <see cref="Directory"/>, once per process: ggml keeps process-wide state (its
    /// backend registry), so it is initialised once and never unloaded.
    /// </summary>
    internal static LlamaCppLibrary Shared => s_shared ??= new LlamaCppLibrary(Directory ?? throw new InvalidOperationException("llama.cpp is not available"));

    /// <summary>
    /// Loads <paramref name="modelPath"/>, checks nothing, and returns its vocabulary size, the ids of
    /// <paramref name="text"/> (with BOS) and the logits after the last of them.
    /// </summary>
    internal (int VocabSize, int[] Ids, float[] Logits) Run(string modelPath, string text)
    {
        var modelDefaults = (delegate* unmanaged<OpaqueParams>)Export("llama_model_default_params");
        var loadModel = (delegate* unmanaged<byte*, OpaqueParams, void*>)Export("llama_model_load_from_file");
        var freeModel = (delegate* unmanaged<void*, void>)Export("llama_model_free");
        var getVocab = (delegate* unmanaged<void*, void*>)Export("llama_model_get_vocab");
        var vocabSize = (delegate* unmanaged<void*, int>)Export("llama_vocab_n_tokens");
        var tokenize = (delegate* unmanaged<void*, byte*, int, int*, int, byte, byte, int>)Export("llama_tokenize");
        var contextDefaults = (delegate* unmanaged<OpaqueParams>)Export("llama_context_default_params");
        var createContext = (delegate* unmanaged<void*, OpaqueParams, void*>)Export("llama_init_from_model");
        var freeContext = (delegate* unmanaged<void*, void>)Export("llama_free");
        var batchGetOne = (delegate* unmanaged<int*, int, OpaqueParams>)Export("llama_batch_get_one");
        var decode = (delegate* unmanaged<void*, OpaqueParams, int>)Export("llama_decode");
        var logitsAt = (delegate* unmanaged<void*, int, float*>)Export("llama_get_logits_ith");

        void* model;
        using (var path = new NativeUtf8(modelPath))
            model = loadModel(path.Pointer, modelDefaults());
        if (model == null)
            throw new InvalidOperationException($"llama.cpp could not load {modelPath}");
        try
        {
            void* vocab = getVocab(model);
            int n = vocabSize(vocab);
            var ids = new int[256];
            int count;
            using (var utf8 = new NativeUtf8(text))
            fixed (int* idPointer = ids)
                count = tokenize(vocab, utf8.Pointer, utf8.Length, idPointer, ids.Length, 1, 0);
            if (count < 0)
                throw new InvalidOperationException($"llama_tokenize failed ({count})");
            Array.Resize(ref ids, count);

            void* context = createContext(model, contextDefaults());
            if (context == null)
                throw new InvalidOperationException("llama_init_from_model failed");
            try
            {
                fixed (int* idPointer = ids)
                {
                    int status = decode(context, batchGetOne(idPointer, count));
                    if (status != 0)
                        throw new InvalidOperationException($"llama_decode failed ({status})");
                }

                return (n, ids, new ReadOnlySpan<float>(logitsAt(context, -1), n).ToArray());
            }
            finally
            {
                freeContext(context);
            }
        }
        finally
        {
            freeModel(model);
        }
    }

    [UnmanagedCallersOnly]
    private static void Quiet(int level, byte* text, void* user)
    {
    }

    private nint Export(string name) => NativeLibrary.GetExport(_llama, name);

    // Bigger than any llama.cpp params struct so far (model ~72 bytes, context ~150 bytes, batch 56 bytes);
    // see the remarks.
    private struct OpaqueParams
    {
        private fixed byte _bytes[1024];
    }

    private sealed class NativeUtf8 : IDisposable
    {
        internal NativeUtf8(string text)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
            Length = bytes.Length;
            Pointer = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
            bytes.CopyTo(new Span<byte>(Pointer, bytes.Length));
            Pointer[bytes.Length] = 0;
        }

        internal byte* Pointer { get; }

        internal int Length { get; }

        public void Dispose() => NativeMemory.Free(Pointer);
    }
}
