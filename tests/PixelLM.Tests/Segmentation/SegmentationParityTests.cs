using NUnit.Framework;
using PixelLM.Evaluation;
using PixelLM.Imaging;
using PixelLM.Segmentation;
using PixelLM.Tests.Masks;
using PixelLM.Tests.Parity;

namespace PixelLM.Tests.Segmentation;

/// <summary>
/// The whole pipeline (spec §1) against the live reference: image file in, answer and masks out, through
/// <see cref="PixelLmSession"/> on the converted tiny pairs. The teacher-forced fixtures name two targets,
/// so the codebook gathering (§6.4), the pixel decoder and the mask stage all run on the engine's own
/// hidden states; the greedy fixture checks that the engine chooses the same 64 tokens.
/// </summary>
[TestFixture]
public sealed class SegmentationParityTests
{
    private static string Image(ReferenceFixture fixture) => TestData.Require("images",
        Path.GetFileName(fixture.Manifest.RootElement.GetProperty("image").GetProperty("path").GetString()!));

    private static string Question(ReferenceFixture fixture) => fixture.Manifest.RootElement.GetProperty("question").GetString()!;

    private static PixelLmModel Load(string pair) => PixelLmModel.Load(TestData.Require("gguf", pair, "llm.gguf"),
        TestData.Require("gguf", pair, "pixel.gguf"));

    // Minimum IoU of each binary mask with the reference's. f32: the stages each match to ~1e-6 relative,
    // so only pixels whose logit is within ~1e-6 of 0 can flip. Q8_0 / Q4_0 pairs: the hidden states carry
    // the quantized LLM's ~1% error (the reference fake-quantizes the same weights, but the activations'
    // Q8_0 rounding is the engine's own) and the pixel file holds F16 matrices (the reference f32), so a
    // thin band along each mask's edge may flip.
    // The small pair (LLM width 512, 6 layers; tower width 256) stores its language model in F16 against
    // the reference's f32 weights (test-data budget), so it takes the quantized bound.
    [TestCase("tiny-forced-f32", "tiny-f32", 0.999, "The ellipse|the box")]
    [TestCase("tiny-forced-q8_0", "tiny-q8_0", 0.99, "The ellipse|the box")]
    [TestCase("tiny-forced-q4_0", "tiny-q4_0", 0.99, "The ellipse|the box")]
    [TestCase("small-forced-f32", "small-f32", 0.99, "The box")]
    public async Task TeacherForcedAnswersGiveTheReferenceMasks(string fixtureName, string pair, double minIou, string labels)
    {
        using ReferenceFixture fixture = ReferenceFixture.Load(fixtureName);
        int[] answer = fixture.Ids("generated_ids");
        using PixelLmModel model = Load(pair);
        using PixelLmSession session = model.CreateSession(new PixelLmSessionOptions
        {
            Threads = 2, ForcedAnswer = answer, GroupRule = CodebookGroupRule.Original,
        });
        using PixelImage image = PixelImage.Load(Image(fixture));
        SegmentationResult result = await session.SegmentAsync(image, Question(fixture));

        int eos = model.Tokenizer.Vocabulary.EosId;
        Assert.That(result.TokenIds, Is.EqualTo(answer.TakeWhile(id => id != eos).ToArray()));
        string expectedText = fixture.Manifest.RootElement.GetProperty("generated_text").GetString()!;
        Assert.That(AnswerText.Normalize(result.Text), Is.EqualTo(AnswerText.Normalize(expectedText)));
        int expectedMasks = fixture.Manifest.RootElement.GetProperty("seg").GetProperty("num_masks").GetInt32();
        Assert.That(result.Segments, Has.Count.EqualTo(expectedMasks).And.Count.GreaterThan(0));
        Assert.That(result.Segments.Select(s => s.Label), Is.EqualTo(labels.Split('|')));

        byte[] binary = FixtureBytes.Read(fixture.Directory, "masks.binary");   // [N,H,W]
        (float[] scores, _) = fixture.Tensor("masks.scores");
        int pixels = image.Width * image.Height;
        for (int n = 0; n < expectedMasks; n++)
        {
            ReadOnlySpan<byte> expected = binary.AsSpan(n * pixels, pixels);
            ReadOnlySpan<byte> actual = result.Segments[n].Mask.Data;
            long both = 0, either = 0;
            for (int i = 0; i < pixels; i++)
            {
                both += expected[i] & actual[i];
                either += expected[i] | actual[i];
            }
            double iou = either == 0 ? 1.0 : (double)both / either;
            TestContext.Out.WriteLine($"{fixtureName} mask {n}: IoU {iou:F6}, score {result.Segments[n].Score:F6} vs {scores[n]:F6}");
            Assert.That(iou, Is.GreaterThanOrEqualTo(minIou), $"mask {n} IoU");
            Assert.That(result.Segments[n].Score, Is.EqualTo(scores[n]).Within(minIou >= 0.999 ? 1e-5 : 1e-3), $"mask {n} score");
        }
    }

    [Test]
    public async Task GreedyDecodingChoosesTheReferenceTokens()
    {
        using ReferenceFixture fixture = ReferenceFixture.Load("tiny-greedy-f32");
        int[] expected = fixture.Ids("generated_ids");
        using PixelLmModel model = Load("tiny-f32");
        using PixelLmSession session = model.CreateSession(new PixelLmSessionOptions
        {
            Threads = 2, MaxNewTokens = expected.Length, GroupRule = CodebookGroupRule.Original,
        });
        using PixelImage image = PixelImage.Load(Image(fixture));
        SegmentationResult result = await session.SegmentAsync(image, Question(fixture));

        int eos = model.Tokenizer.Vocabulary.EosId;
        int[] chosen = result.ReachedTokenLimit ? [.. result.TokenIds] : [.. result.TokenIds, eos];
        Assert.That(chosen, Is.EqualTo(expected));
        int expectedMasks = fixture.Manifest.RootElement.GetProperty("seg").GetProperty("num_masks").GetInt32();
        Assert.That(result.Segments, Has.Count.EqualTo(expectedMasks));
    }
}
