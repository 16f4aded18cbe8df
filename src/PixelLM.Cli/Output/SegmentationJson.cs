using System.Text;
using System.Text.Json;
using PixelLM.Masks;
using PixelLM.Segmentation;

namespace PixelLM.Cli.Output;

/// <summary>
/// The <c>result.json</c> of <c>pixellm segment</c> (also printed by <c>--json</c>): the answer, one entry
/// per segment with its label, text span, score, COCO box and area and COCO RLE, the mask files written,
/// and the timings in milliseconds.
/// </summary>
internal static class SegmentationJson
{
    public static string Write(SegmentationResult result, int width, int height, IReadOnlyList<string>? maskFiles, string? overlayFile)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("text", result.Text);
            json.WriteNumber("width", width);
            json.WriteNumber("height", height);
            json.WriteStartArray("segments");
            foreach (Segment segment in result.Segments)
            {
                json.WriteStartObject();
                json.WriteNumber("index", segment.Index);
                json.WriteString("label", segment.Label);
                json.WriteStartArray("text_span");
                json.WriteNumberValue(segment.TextSpan.Start);
                json.WriteNumberValue(segment.TextSpan.Length);
                json.WriteEndArray();
                json.WriteNumber("score", segment.Score);
                json.WriteStartArray("box");
                json.WriteNumberValue(segment.Box.X);
                json.WriteNumberValue(segment.Box.Y);
                json.WriteNumberValue(segment.Box.Width);
                json.WriteNumberValue(segment.Box.Height);
                json.WriteEndArray();
                json.WriteNumber("area", segment.Area);
                json.WriteStartObject("rle");
                json.WriteStartArray("size");
                json.WriteNumberValue(segment.Mask.Height);
                json.WriteNumberValue(segment.Mask.Width);
                json.WriteEndArray();
                json.WriteString("counts", CocoRle.Encode(segment.Mask));
                json.WriteEndObject();
                if (maskFiles is not null)
                    json.WriteString("mask_file", maskFiles[segment.Index]);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (overlayFile is not null)
                json.WriteString("overlay_file", overlayFile);
            json.WriteNumber("incomplete_codebook_tokens", result.IncompleteCodebookTokens);
            json.WriteBoolean("reached_token_limit", result.ReachedTokenLimit);
            json.WriteStartArray("token_ids");
            foreach (int id in result.TokenIds)
                json.WriteNumberValue(id);
            json.WriteEndArray();
            SegmentationTimings t = result.Timings;
            json.WriteStartObject("timings_ms");
            json.WriteNumber("preprocess", t.Preprocess.TotalMilliseconds);
            json.WriteNumber("vision", t.Vision.TotalMilliseconds);
            json.WriteNumber("prefill", t.Prefill.TotalMilliseconds);
            json.WriteNumber("generation", t.Generation.TotalMilliseconds);
            json.WriteNumber("pixel_decoder", t.PixelDecoder.TotalMilliseconds);
            json.WriteNumber("postprocess", t.Postprocess.TotalMilliseconds);
            json.WriteNumber("total", t.Total.TotalMilliseconds);
            json.WriteEndObject();
            json.WriteNumber("generated_tokens", t.GeneratedTokens);
            json.WriteBoolean("feature_cache_hit", t.FeatureCacheHit);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
