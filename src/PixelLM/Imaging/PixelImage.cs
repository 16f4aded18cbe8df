using PixelLM.Interop;

namespace PixelLM.Imaging;

/// <summary>
/// A decoded image: 8-bit RGB, interleaved, rows packed top to bottom, oriented as it is meant to be
/// seen (EXIF orientation applied unless <see cref="ImageDecodeOptions.ApplyExifOrientation"/> says
/// otherwise). Its <see cref="Width"/> and <see cref="Height"/> are the original size the pipeline
/// maps masks back to (spec §2.1).
/// </summary>
/// <remarks>
/// The pixels live in native memory owned by this object and never change, so an image may be read
/// from any number of threads at once. Dispose it to free the memory early; the finalizer frees it
/// otherwise. Decoding follows PixelLM's reference exactly: JPEG through libjpeg-turbo with its
/// default (Pillow's) settings, PNG grey/palette expanded, 16-bit samples reduced to their high byte.
/// </remarks>
public sealed unsafe class PixelImage : IDisposable
{
    private readonly SafeImageHandle _handle;

    private PixelImage(SafeImageHandle handle, pxl_image_info info)
    {
        _handle = handle;
        Width = info.width;
        Height = info.height;
        Format = (ImageFormat)info.format;
        ExifOrientation = info.exif_orientation;
        BitsPerChannel = info.bits_per_channel;
        HadAlpha = info.had_alpha != 0;
    }

    /// <summary>Width in pixels, after the EXIF orientation was applied.</summary>
    public int Width { get; }

    /// <summary>Height in pixels, after the EXIF orientation was applied.</summary>
    public int Height { get; }

    /// <summary>The format the image was decoded from.</summary>
    public ImageFormat Format { get; }

    /// <summary>The EXIF orientation stored in the file, 1..8 (1 when absent), whether it was applied or not.</summary>
    public int ExifOrientation { get; }

    /// <summary>Bits per sample of the encoded image (1..16; 8 for raw RGB24).</summary>
    public int BitsPerChannel { get; }

    /// <summary>True when the encoded image had an alpha channel or transparency (dropped or composited per the options).</summary>
    public bool HadAlpha { get; }

    /// <summary>
    /// The pixels, <c>Height</c> rows of <c>Width × 3</c> bytes (R, G, B). A view of native memory:
    /// valid until the image is disposed; copy with <see cref="ToRgb24Array"/> to keep them longer.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The image was disposed.</exception>
    public ReadOnlySpan<byte> Pixels
    {
        get
        {
            using var lease = new SafeHandleLease(_handle);
            byte* pixels = null;
            ulong size = 0;
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_image_pixels((pxl_image*)lease.Pointer, &pixels, &size));
            return new ReadOnlySpan<byte>(pixels, checked((int)size));
        }
    }

    /// <summary>Decodes the JPEG or PNG file at <paramref name="path"/>.</summary>
    /// <exception cref="PixelLmIOException">The file cannot be read.</exception>
    /// <exception cref="PixelLmFormatException">The data is empty, truncated or damaged.</exception>
    /// <exception cref="PixelLmUnsupportedException">Another format (the message lists the supported ones), a CMYK or 12-bit JPEG, or an image over the limits.</exception>
    public static PixelImage Load(string path, ImageDecodeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PixelLmIOException($"{path}: {e.Message}", string.Empty);
        }
        try
        {
            return Load(data, options);
        }
        catch (PixelLmException e) when (e is not PixelLmInvalidArgumentException)
        {
            throw NativeStatus.Create(e.Status, e.NativeMessage, path);
        }
    }

    /// <summary>Decodes a JPEG or PNG read from <paramref name="stream"/> (to its end, from its current position).</summary>
    /// <exception cref="PixelLmFormatException">The data is empty, truncated or damaged.</exception>
    /// <exception cref="PixelLmUnsupportedException">Another format, a CMYK or 12-bit JPEG, or an image over the limits.</exception>
    public static PixelImage Load(Stream stream, ImageDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Load(new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, checked((int)buffer.Length)), options);
    }

    /// <summary>Decodes a JPEG or PNG held in memory.</summary>
    /// <exception cref="PixelLmFormatException">The data is empty, truncated or damaged.</exception>
    /// <exception cref="PixelLmUnsupportedException">Another format, a CMYK or 12-bit JPEG, or an image over the limits.</exception>
    /// <exception cref="PixelLmInvalidArgumentException">The options are inconsistent (for example a limit that is not positive).</exception>
    public static PixelImage Load(ReadOnlySpan<byte> data, ImageDecodeOptions? options = null)
    {
        NativeLibraryLoader.EnsureInitialized();
        pxl_image_decode_params parameters = (options ?? ImageDecodeOptions.Default).ToNative();
        pxl_image* image = null;
        pxl_status status;
        fixed (byte* bytes = data)
            status = NativeMethods.pxl_image_decode(bytes, (ulong)data.Length, &parameters, &image);
        NativeStatus.ThrowIfFailed(status);
        return Wrap(image);
    }

    /// <summary>
    /// Makes an image from packed RGB24 pixels: <paramref name="height"/> rows of
    /// <paramref name="width"/> × 3 bytes (R, G, B), top row first. The pixels are copied.
    /// </summary>
    /// <exception cref="PixelLmInvalidArgumentException">A side is not positive or <paramref name="rgb"/> is not width × height × 3 bytes.</exception>
    /// <exception cref="PixelLmUnsupportedException">The image is over the limits of <paramref name="options"/>.</exception>
    public static PixelImage FromRgb24(ReadOnlySpan<byte> rgb, int width, int height, ImageDecodeOptions? options = null)
    {
        NativeLibraryLoader.EnsureInitialized();
        pxl_image_decode_params parameters = (options ?? ImageDecodeOptions.Default).ToNative();
        pxl_image* image = null;
        pxl_status status;
        fixed (byte* bytes = rgb)
        {
            // A non-null pointer even for an empty span, so the library reports the size, not a NULL.
            byte dummy = 0;
            status = NativeMethods.pxl_image_from_rgb24(bytes != null ? bytes : &dummy, (ulong)rgb.Length, width, height,
                &parameters, &image);
        }
        NativeStatus.ThrowIfFailed(status);
        return Wrap(image);
    }

    /// <summary>
    /// Resizes with Pillow's antialiased BILINEAR filter, bit-exact with Pillow's
    /// <c>Image.resize((width, height), BILINEAR)</c> (the resample step of spec §2.2).
    /// </summary>
    /// <exception cref="PixelLmInvalidArgumentException">A side is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The image was disposed.</exception>
    public PixelImage Resize(int width, int height)
    {
        using var lease = new SafeHandleLease(_handle);
        pxl_image* resized = null;
        NativeStatus.ThrowIfFailed(NativeMethods.pxl_image_resize((pxl_image*)lease.Pointer, width, height, &resized));
        return Wrap(resized);
    }

    /// <summary>A copy of <see cref="Pixels"/>.</summary>
    public byte[] ToRgb24Array() => Pixels.ToArray();

    /// <summary>Frees the native pixels.</summary>
    public void Dispose() => _handle.Dispose();

    internal SafeHandleLease Lease() => new(_handle);

    private static PixelImage Wrap(pxl_image* image)
    {
        SafeImageHandle handle = SafeImageHandle.FromNative(image);
        try
        {
            pxl_image_info info = default;
            info.struct_size = (ulong)sizeof(pxl_image_info);
            NativeStatus.ThrowIfFailed(NativeMethods.pxl_image_get_info(image, &info));
            return new PixelImage(handle, info);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
