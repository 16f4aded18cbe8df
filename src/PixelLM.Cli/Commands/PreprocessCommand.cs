using System.CommandLine;
using System.Globalization;
using PixelLM.Cli.Output;
using PixelLM.Imaging;
using PixelLM.Pixel;

namespace PixelLM.Cli.Commands;

/// <summary>
/// <c>pixellm preprocess --image PATH --out FILE.safetensors [--model PIXEL.gguf]</c>: decodes an image and
/// writes what the vision tower would get (spec §2.2, §2.5) with the reference fixtures' tensor names, so
/// anyone can compare them with <c>pixellm_ref</c>: <c>image.rgb</c> [H,W,3] u8, <c>image.resized</c>
/// [h',w',3] u8, <c>image.pixels</c> [1,3,S,S] f32, <c>mask.patch</c> [G,G] u8, <c>mask.token</c> [T,T] u8,
/// and metadata original_size, input_size ("H,W") and cache_key. With <c>--model</c> the pixel model's
/// image size, patch size, token grid, mean and std are used; otherwise the released model's.
/// </summary>
internal static class PreprocessCommand
{
    /// <summary>Creates the command, writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        var image = new Option<string>("--image") { Description = "The JPEG or PNG file.", Required = true };
        var output = new Option<string>("--out") { Description = "The safetensors file to write.", Required = true };
        var model = new Option<string?>("--model") { Description = "A pixel model (pixel.gguf) whose preprocessing settings to use." };
        var command = new Command("preprocess", "Decode and preprocess an image for the vision tower; write the tensors and bookkeeping.")
        {
            image, output, model,
        };
        command.SetAction(parseResult =>
            Run(console, parseResult.GetRequiredValue(image), parseResult.GetRequiredValue(output), parseResult.GetValue(model)));
        return command;
    }

    internal static int Run(CliConsole console, string imagePath, string outputPath, string? modelPath)
    {
        ImagePreprocessor preprocessor = ImagePreprocessor.Default;
        if (modelPath is not null)
        {
            using PixelModel pixelModel = PixelModel.Load(modelPath);
            preprocessor = ImagePreprocessor.ForModel(pixelModel.Info);
        }
        using PixelImage image = PixelImage.Load(imagePath);
        PreprocessedImage pre = preprocessor.Preprocess(image);
        using PixelImage resized = image.Resize(pre.ResizedWidth, pre.ResizedHeight);

        var writer = new SafetensorsWriter();
        writer.AddU8("image.rgb", [image.Height, image.Width, 3], image.Pixels);
        writer.AddU8("image.resized", [pre.ResizedHeight, pre.ResizedWidth, 3], resized.Pixels);
        writer.AddF32("image.pixels", [1, 3, pre.ImageSize, pre.ImageSize], pre.Pixels);
        writer.AddU8("mask.patch", [pre.PatchGrid, pre.PatchGrid], Array.ConvertAll(pre.PatchValid, v => (byte)(v ? 1 : 0)));
        writer.AddU8("mask.token", [pre.TokenGrid, pre.TokenGrid], Array.ConvertAll(pre.TokenValid, v => (byte)(v ? 1 : 0)));
        writer.AddMetadata("original_size", string.Create(CultureInfo.InvariantCulture, $"{pre.OriginalHeight},{pre.OriginalWidth}"));
        writer.AddMetadata("input_size", string.Create(CultureInfo.InvariantCulture, $"{pre.ResizedHeight},{pre.ResizedWidth}"));
        writer.AddMetadata("cache_key", pre.CacheKey);
        writer.Save(outputPath);
        console.Out.WriteLine($"{imagePath}: {image.Format} {image.Width}x{image.Height} (EXIF orientation {image.ExifOrientation}) " +
            $"-> {pre.ResizedWidth}x{pre.ResizedHeight} in {pre.ImageSize}x{pre.ImageSize}; key {pre.CacheKey}; wrote {outputPath}");
        return 0;
    }
}
