using PixelLM.Interop;

namespace PixelLM.Imaging;

/// <summary>
/// How <see cref="PixelImage"/> decodes and which images it accepts. The defaults reproduce PixelLM's
/// own decoding (EXIF orientation applied, alpha dropped) and refuse images over 64 megapixels or
/// 16384 pixels a side; the limits are checked from the file's header before any pixel memory is
/// allocated.
/// </summary>
public sealed record ImageDecodeOptions
{
    /// <summary>The defaults.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>Largest accepted width × height (default 64,000,000).</summary>
    public long MaxPixels { get; init; } = 64_000_000;

    /// <summary>Largest accepted width or height (default 16384).</summary>
    public int MaxSide { get; init; } = 16384;

    /// <summary>Turn the image as its EXIF orientation says (default true); false keeps the stored pixel order.</summary>
    public bool ApplyExifOrientation { get; init; } = true;

    /// <summary>What happens to alpha (default <see cref="ImageAlphaMode.Drop"/>).</summary>
    public ImageAlphaMode AlphaMode { get; init; } = ImageAlphaMode.Drop;

    /// <summary>The background for <see cref="ImageAlphaMode.Composite"/> (default white).</summary>
    public RgbColor Background { get; init; } = RgbColor.White;

    internal pxl_image_decode_params ToNative()
    {
        pxl_image_decode_params native = NativeMethods.pxl_image_default_decode_params();
        native.max_pixels = MaxPixels;
        native.max_side = MaxSide;
        native.apply_exif_orientation = ApplyExifOrientation ? 1 : 0;
        native.alpha_mode = (int)AlphaMode;
        native.background_rgb = Background.ToRgb24Value();
        return native;
    }
}
