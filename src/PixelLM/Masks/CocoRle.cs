using System.Text;

namespace PixelLM.Masks;

/// <summary>
/// COCO's run-length encoding (spec §15.6), in the compressed string form pycocotools'
/// <c>mask.encode</c> returns as <c>counts</c> and <c>mask.decode</c> reads: runs over the pixels in
/// column-major order, alternating off and on and starting with off (so the first run may be 0); each run
/// from the third on stored as the difference from the run two before; each number as 5-bit groups, low
/// group first, sign-extended from the last group, with 0x20 marking "more groups follow", offset by 48
/// into printable ASCII.
/// </summary>
public static class CocoRle
{
    /// <summary>The compressed counts string of <paramref name="mask"/>; its size is [Height, Width].</summary>
    public static string Encode(Mask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Encode(mask.Data, mask.Width, mask.Height);
    }

    /// <summary>The compressed counts string of a row-major [height, width] mask (non-zero bytes are on).</summary>
    public static string Encode(ReadOnlySpan<byte> mask, int width, int height)
    {
        MaskArguments.RequirePlane(mask, height, width, nameof(mask));
        var counts = new List<long>();
        bool on = false;
        long run = 0;
        for (int x = 0; x < width; x++)
        {
            for (int y = 0; y < height; y++)
            {
                if ((mask[y * width + x] != 0) != on)
                {
                    counts.Add(run);
                    run = 0;
                    on = !on;
                }
                run++;
            }
        }
        counts.Add(run);
        return ToCountsString(counts);
    }

    /// <summary>Decodes a compressed counts string into a row-major [height, width] mask of 0/1 bytes.</summary>
    /// <exception cref="FormatException">The string is not a valid counts string, or its runs do not cover height·width pixels.</exception>
    public static byte[] Decode(string counts, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(counts);
        MaskArguments.RequireSize(height, width, nameof(counts));
        long pixels = (long)height * width;
        var mask = new byte[pixels];
        long position = 0;
        bool on = false;
        foreach (long run in FromCountsString(counts))
        {
            if (run < 0 || run > pixels - position)
                throw new FormatException($"RLE counts: a run of {run} at pixel {position} does not fit a {width} x {height} mask.");
            if (on)
            {
                for (long p = position; p < position + run; p++)
                    mask[p % height * width + p / height] = 1;
            }
            position += run;
            on = !on;
        }
        if (position != pixels)
            throw new FormatException($"RLE counts cover {position} pixels, not the {pixels} of a {width} x {height} mask.");
        return mask;
    }

    private static string ToCountsString(List<long> counts)
    {
        var text = new StringBuilder();
        for (int i = 0; i < counts.Count; i++)
        {
            long x = i > 2 ? counts[i] - counts[i - 2] : counts[i];
            bool more = true;
            while (more)
            {
                long c = x & 0x1F;
                x >>= 5;   // arithmetic: negative differences end on a group with bit 0x10 set
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more)
                    c |= 0x20;
                text.Append((char)(c + 48));
            }
        }
        return text.ToString();
    }

    private static List<long> FromCountsString(string text)
    {
        var counts = new List<long>();
        int p = 0;
        while (p < text.Length)
        {
            long x = 0;
            int shift = 0;
            bool more = true;
            while (more)
            {
                if (p >= text.Length)
                    throw new FormatException("RLE counts: the string ends inside a number.");
                long c = text[p] - 48;
                if (c is < 0 or > 0x3F)
                    throw new FormatException($"RLE counts: character '{text[p]}' at {p} is outside '0'..'o'.");
                if (shift > 55)
                    throw new FormatException($"RLE counts: the number ending at {p} is too long.");
                x |= (c & 0x1F) << shift;
                more = (c & 0x20) != 0;
                p++;
                shift += 5;
                if (!more && (c & 0x10) != 0)
                    x |= -1L << shift;
            }
            if (counts.Count > 2)
                x += counts[^2];
            counts.Add(x);
        }
        return counts;
    }
}
