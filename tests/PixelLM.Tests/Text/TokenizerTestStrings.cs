using System.Text;

namespace PixelLM.Tests.Text;

/// <summary>
/// A deterministic (fixed-seed) collection of varied texts and id sequences for the parity tests:
/// English prompts, whitespace runs, newlines and tabs, digits, punctuation, accents, scripts, CJK,
/// emoji, literal special-token text, random mixtures and long texts.
/// </summary>
internal static class TokenizerTestStrings
{
    private const int Seed = 20261122;

    private static readonly string[] Prompts =
    [
        "What is in this image?",
        "Segment the cat and the dog.",
        "Which of these objects could hold water? Please explain.",
        "Can you segment the person on the left, the bicycle, and the car behind them?",
        "Describe the scene in detail.",
        "Hello world",
        "The quick brown fox jumps over the lazy dog.",
        "I'd like to know: where's the nearest exit?",
        "Please output segmentation masks for every vehicle.",
        "Is there anything unusual here? Answer yes or no.",
        "A chat between a curious human and an artificial intelligence assistant.",
        "USER: hi ASSISTANT: hello",
        "It's 5 o'clock somewhere, isn't it?",
        "Don't segment the background; only the foreground objects.",
        "How many apples are on the table?",
        "Find the red umbrella, then the blue one.",
        "Mr. Smith's dog barked at 3:45 p.m.",
        "e.g. the cup, the bowl, i.e. containers",
        "Segment: cat, dog, bird, fish",
        "What would a chef use to cut vegetables?",
    ];

    private static readonly string[] Words =
    [
        "the", "a", "image", "segment", "cat", "dog", "water", "hold", "which", "could", "person", "left",
        "right", "blue", "red", "table", "chair", "bottle", "glass", "kitchen", "outside", "tree",
        "Unbelievable", "antidisestablishmentarianism", "GPU", "LLaMA", "PixelLM", "x", "I", "OK",
    ];

    private static readonly string[] Fragments =
    [
        "café", "naïve", "Ångström", "résumé", "Tiếng Việt", "e\u0301", "Ä\u0308", "Straße", "ﬁ", "œuvre",
        "Ελληνικά", "Привет, мир", "مرحبا بالعالم", "שלום", "नमस्ते", "สวัสดี", "ქართული", "Հայերեն",
        "你好，世界", "日本語のテキスト", "カタカナ", "한국어 문장", "ｆｕｌｌｗｉｄｔｈ", "中文。標點！", "𠀀𠀁",
        "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "❤️", "🧑‍💻 coding", "🎉🎉🎉", "🙂 ok", "☃", "✓✗",
        "<s>", "</s>", "<unk>", "<im_start>", "<im_end>", "<im_patch>", "<image>", "[SEG0]", "[SEG5]",
        "<0x41>", "<0x0A>", "▁", "▁▁x", "[SEG", "SEG0]", "<im_", "[SEG0][SEG1]",
        "3.14159", "1,000,000", "2024-01-01", "+1 (555) 010-9999", "0x1F", "42", "007", "1e-9", "½", "²³",
        "!!!", "...", "?!", "(a)", "[x]", "{}", "<>", "--", "'quoted'", "\"double\"", "C++", "a@b.com",
        "http://example.com/a?b=c&d=e", "def f(x): return x**2", "#include <stdio.h>", "a\\b", "~/path/to",
        "\t", "\n", "\r\n", "  ", "   ", "\u00a0", "\u3000", "\u200b", "\ufeff", "\u0000", "\u001f", "\u0085",
        "\ufffd", "\ue000", "\u2028",
    ];

    private static readonly (int Low, int High)[] CodePointRanges =
    [
        (0x21, 0x7E), (0x01, 0x1F), (0xA0, 0xFF), (0x100, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF),
        (0x590, 0x6FF), (0x900, 0x97F), (0x2000, 0x206F), (0x2190, 0x22FF), (0x3040, 0x30FF),
        (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xE000, 0xE0FF), (0xFF00, 0xFFEF), (0x1F300, 0x1F6FF),
        (0x1F900, 0x1F9FF), (0x20000, 0x2A6DF), (0x10000, 0x1007F),
    ];

    /// <summary>Questions for the prompt parity test, including whitespace and special-token text.</summary>
    public static IReadOnlyList<string> Questions { get; } =
    [
        "What is in this image?",
        "Which of these could hold water? Please segment them.",
        "  leading spaces and a trailing one ",
        "\n\tnew line and tab first",
        "",
        "   ",
        "Segment [SEG0] and </s> and <im_start> literally.",
        "Où est le chat? 猫はどこ？ 🐱",
        "multi\nline\n\nquestion",
        "\u001c\u001dseparators first",
    ];

    /// <summary>At least 300 texts, the same on every run.</summary>
    public static IReadOnlyList<string> Generate()
    {
        var random = new Random(Seed);
        var texts = new List<string> { string.Empty, " ", "  ", "a", " a", "a ", "\n", "\t", "\r", "▁" };
        texts.AddRange(Prompts);
        texts.AddRange(Fragments);
        texts.AddRange(Fragments.Select(f => " " + f + " "));

        // Whitespace runs between words: spaces, tabs, newlines, mixed.
        string[] spaces = [" ", "  ", "    ", "\t", "\t\t", "\n", "\n\n", " \n ", "\r\n", " \t\n"];
        for (int i = 0; i < 40; i++)
        {
            var text = new StringBuilder();
            if (random.Next(3) == 0)
                text.Append(Pick(random, spaces));
            int words = random.Next(1, 6);
            for (int w = 0; w < words; w++)
            {
                text.Append(Pick(random, Words));
                if (w + 1 < words || random.Next(3) == 0)
                    text.Append(Pick(random, spaces));
            }

            texts.Add(text.ToString());
        }

        // Digits.
        for (int i = 0; i < 20; i++)
        {
            texts.Add(random.Next(0, 4) switch
            {
                0 => random.NextInt64(0, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
                1 => $"{random.Next(1, 10000)}.{random.Next(0, 1000):000}",
                2 => $"{random.Next(1, 32)}/{random.Next(1, 13)}/{random.Next(1900, 2100)} at {random.Next(0, 24)}:{random.Next(0, 60):00}",
                _ => $"there are {random.Next(0, 1000)} items costing ${random.Next(0, 100)}.{random.Next(0, 100):00}",
            });
        }

        // Mixtures of words, fragments and separators.
        for (int i = 0; i < 80; i++)
        {
            var text = new StringBuilder();
            int parts = random.Next(1, 8);
            for (int p = 0; p < parts; p++)
            {
                text.Append(random.Next(3) == 0 ? Pick(random, Words) : Pick(random, Fragments));
                if (random.Next(2) == 0)
                    text.Append(Pick(random, spaces));
            }

            texts.Add(text.ToString());
        }

        // Random code points from many blocks (controls, scripts, CJK, emoji, private use, plane 2).
        for (int i = 0; i < 60; i++)
        {
            var text = new StringBuilder();
            int length = random.Next(1, 25);
            for (int c = 0; c < length; c++)
            {
                (int low, int high) = Pick(random, CodePointRanges);
                text.Append(char.ConvertFromUtf32(random.Next(low, high + 1)));
                if (random.Next(5) == 0)
                    text.Append(' ');
            }

            texts.Add(text.ToString());
        }

        // Long runs of one thing: the merge order matters most here.
        texts.Add(new string('a', 3000));
        texts.Add(new string(' ', 501));
        texts.Add(string.Concat(Enumerable.Repeat("😀", 200)));
        texts.Add(string.Concat(Enumerable.Repeat("ab", 700)));

        // Long texts.
        for (int i = 0; i < 5; i++)
        {
            var text = new StringBuilder();
            while (text.Length < 1000 + (i * 400))
                text.Append(random.Next(4) == 0 ? Pick(random, Fragments) : Pick(random, Prompts)).Append(Pick(random, spaces));
            texts.Add(text.ToString());
        }

        return texts;
    }

    /// <summary>
    /// Id sequences for decode parity: random base ids, and byte-token-heavy ones (the bytes of real
    /// characters, cut, shuffled and interleaved with pieces, control and unknown tokens).
    /// </summary>
    public static IReadOnlyList<int[]> IdSequences(int baseCount)
    {
        var random = new Random(Seed + 1);
        var sequences = new List<int[]>();
        for (int i = 0; i < 100; i++)
            sequences.Add([.. Enumerable.Range(0, random.Next(1, 20)).Select(_ => random.Next(0, baseCount))]);

        int[] specials = [0, 1, 2, 263, 29871, 15043, 30919];
        for (int i = 0; i < 200; i++)
        {
            var sequence = new List<int>();
            int parts = random.Next(1, 8);
            for (int p = 0; p < parts; p++)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(Pick(random, Fragments));
                int[] byteIds = [.. bytes.Select(b => 3 + b)];
                switch (random.Next(5))
                {
                    case 0:
                        sequence.AddRange(byteIds.Take(random.Next(0, byteIds.Length + 1)));
                        break;
                    case 1:
                        random.Shuffle(byteIds);
                        sequence.AddRange(byteIds);
                        break;
                    case 2:
                        sequence.Add(Pick(random, specials));
                        break;
                    case 3:
                        sequence.Add(3 + random.Next(256));
                        break;
                    default:
                        sequence.AddRange(byteIds);
                        break;
                }
            }

            if (sequence.Count > 0)
                sequences.Add([.. sequence]);
        }

        return sequences;
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
