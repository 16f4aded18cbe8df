using PixelLM.Interop;
using PixelLM.Pixel;

namespace PixelLM.Imaging;

/// <summary>
/// The CLIP-branch preprocessing of spec §2.2 (padded path): longest side resized to
/// <see cref="ImageSize"/> with Pillow's BILINEAR (bit-exact), per-channel <c>(v − mean) / std</c> on
/// the 0..255 scale in f32, zero padding at the bottom and right; plus the validity masks of §2.5.
/// Immutable and thread-safe.
/// </summary>
public sealed unsafe class ImagePreprocessor
{
    private static readonly float[] ImageNetMean = [123.675f, 116.28f, 103.53f];
    private static readonly float[] ImageNetStd = [58.395f, 57.12f, 57.375f];

    /// <summary>Creates a preprocessor.</summary>
    /// <param name="imageSize">Side of the padded square (448).</param>
    /// <param name="patchSize">ViT patch side (14); divides <paramref name="imageSize"/>.</param>
    /// <param name="tokenGrid">Side of the LLM token grid (16); divides the patch grid.</param>
    /// <param name="mean">Per-channel (R, G, B) mean on the 0..255 scale.</param>
    /// <param name="std">Per-channel (R, G, B) standard deviation on the 0..255 scale.</param>
    /// <exception cref="ArgumentException"><paramref name="mean"/> or <paramref name="std"/> does not hold 3 values.</exception>
    public ImagePreprocessor(int imageSize, int patchSize, int tokenGrid, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != 3)
            throw new ArgumentException($"mean holds {mean.Count} values; expected 3 (R, G, B)", nameof(mean));
        if (std.Count != 3)
            throw new ArgumentException($"std holds {std.Count} values; expected 3 (R, G, B)", nameof(std));
        ImageSize = imageSize;
        PatchSize = patchSize;
        TokenGrid = tokenGrid;
        Mean = [mean[0], mean[1], mean[2]];
        Std = [std[0], std[1], std[2]];
    }

    /// <summary>The released PixelLM's settings: 448 pixels, 14-pixel patches, a 16×16 token grid, ImageNet mean/std.</summary>
    public static ImagePreprocessor Default { get; } = new(448, 14, 16, ImageNetMean, ImageNetStd);

    /// <summary>A preprocessor with a pixel model's own settings (image and patch size, token grid, mean and std).</summary>
    public static ImagePreprocessor ForModel(PixelModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new ImagePreprocessor(info.ImageSize, info.PatchSize, info.ImageTokenGrid, info.ImageMean, info.ImageStd);
    }

    /// <summary>Side of the padded square.</summary>
    public int ImageSize { get; }

    /// <summary>ViT patch side.</summary>
    public int PatchSize { get; }

    /// <summary>Side of the LLM token grid.</summary>
    public int TokenGrid { get; }

    /// <summary>Per-channel (R, G, B) mean on the 0..255 scale.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Per-channel (R, G, B) standard deviation on the 0..255 scale.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>Preprocesses <paramref name="image"/>.</summary>
    /// <exception cref="PixelLmInvalidArgumentException">The settings are inconsistent (the message names the field).</exception>
    /// <exception cref="PixelLmUnsupportedException">The image is so thin that its short side would resize to 0 pixels.</exception>
    /// <exception cref="ObjectDisposedException">The image was disposed.</exception>
    public PreprocessedImage Preprocess(PixelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        pxl_image_preprocess_params parameters = NativeMethods.pxl_image_default_preprocess_params();
        parameters.image_size = ImageSize;
        parameters.patch_size = PatchSize;
        parameters.token_grid = TokenGrid;
        parameters.mean_r = Mean[0];
        parameters.mean_g = Mean[1];
        parameters.mean_b = Mean[2];
        parameters.std_r = Std[0];
        parameters.std_g = Std[1];
        parameters.std_b = Std[2];
        pxl_image_preprocess_output output = default;
        output.struct_size = (ulong)sizeof(pxl_image_preprocess_output);
        using var lease = image.Lease();
        if (ImageSize <= 0 || ImageSize > 16384 || PatchSize <= 0 || TokenGrid <= 0 || ImageSize % PatchSize != 0)
        {
            // The library checks the settings before the buffers and names the bad field.
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_image_preprocess((pxl_image*)lease.Pointer, &parameters, &output));
        }
        int patchGrid = ImageSize / PatchSize;
        var pixels = new float[3L * ImageSize * ImageSize];
        var patch = new byte[patchGrid * patchGrid];
        var token = new byte[TokenGrid * TokenGrid];
        byte* key = stackalloc byte[65];
        fixed (float* pixelPointer = pixels)
        fixed (byte* patchPointer = patch)
        fixed (byte* tokenPointer = token)
        {
            output.pixels = pixelPointer;
            output.pixels_count = (ulong)pixels.Length;
            output.patch_valid = patchPointer;
            output.patch_valid_count = (ulong)patch.Length;
            output.token_valid = tokenPointer;
            output.token_valid_count = (ulong)token.Length;
            output.cache_key = key;
            output.cache_key_capacity = 65;
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_image_preprocess((pxl_image*)lease.Pointer, &parameters, &output));
        }
        return new PreprocessedImage(pixels, ImageSize, output.resized_width, output.resized_height, output.original_width,
            output.original_height, Array.ConvertAll(patch, b => b != 0), patchGrid, Array.ConvertAll(token, b => b != 0),
            TokenGrid, new string((sbyte*)key, 0, 64));
    }
}
