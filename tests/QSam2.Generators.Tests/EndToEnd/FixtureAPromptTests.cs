using QSam2.Generators.Tests.Segmenters;
using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;
using QSam2.Tests.Shared;
using Xunit.Abstractions;

namespace QSam2.Generators.Tests.EndToEnd;

/// <summary>
/// The generated FP32 segmenter reproduces the official SAM2 outputs of fixture-a (README "How to compare"): image
/// embedding and high-res features, then for all five prompt cases the low-res logits, IoU predictions, upsampled
/// logits and binary masks (exact except within the logit tolerance of the threshold).
/// </summary>
public class FixtureAPromptTests
{
    private readonly ITestOutputHelper _output;

    public FixtureAPromptTests(ITestOutputHelper output) => _output = output;

    private static readonly Lazy<FixtureASegmenter> s_segmenter = new(() =>
    {
        var s = FixtureASegmenter.Load(ReferenceFixture.A.CheckpointPath);
        var fx = ReferenceFixture.A;
        var shape = fx.Shape("image.rgb");
        s.SetImage(new RgbImage(shape[1], shape[0], fx.Bytes("image.rgb")));
        return s;
    });

    /// <summary>README tolerance: max|a − e| ≤ 1e-4·max|e| + 1e-5.</summary>
    private void Close(string name, float[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = expected.Max(MathF.Abs);
        float tol = 1e-4f * scale + 1e-5f;
        float worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = MathF.Abs(actual[i] - expected[i]);
            if (d > worst)
            {
                worst = d;
                at = i;
            }
        }
        _output.WriteLine($"{name}: max |diff| {worst:G3} (tolerance {tol:G3}, scale {scale:G4})");
        Assert.True(worst <= tol, $"{name}: max |diff| {worst} at {at} (expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}) exceeds {tol}");
    }

    [Fact]
    public void ImageEmbedding_MatchesOfficial()
    {
        Close("predictor.image_embed", ReferenceFixture.A.Float("predictor.image_embed"), s_segmenter.Value.GetImageEmbedding());
    }

    public static TheoryData<string> Cases => new() { "case1", "case2", "case3", "case4", "case5" };

    private static Sam2Prompt Prompt(string c)
    {
        var fx = ReferenceFixture.A;
        var names = fx.Names.ToHashSet();
        return new Sam2Prompt
        {
            PointCoords = names.Contains(c + ".input.point_coords") ? fx.Float(c + ".input.point_coords") : null,
            PointLabels = names.Contains(c + ".input.point_labels") ? fx.Int(c + ".input.point_labels") : null,
            Box = names.Contains(c + ".input.box") ? fx.Float(c + ".input.box") : null,
            MaskInput = names.Contains(c + ".input.mask_input") ? fx.Float(c + ".input.mask_input") : null,
            MultimaskOutput = fx.Shape(c + ".predict.iou_predictions")[0] == 3,
            ReturnLogits = true,
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prediction_MatchesOfficial(string c)
    {
        var fx = ReferenceFixture.A;
        var r = s_segmenter.Value.Predict(Prompt(c));

        Close(c + ".predict.iou_predictions", fx.Float(c + ".predict.iou_predictions"), r.IouPredictions);
        Close(c + ".predict.low_res_masks", fx.Float(c + ".predict.low_res_masks"), r.LowResLogits);
        var logits = fx.Float(c + ".predict.masks_logits");
        Close(c + ".predict.masks_logits", logits, r.MaskLogits);

        var masks = fx.Bytes(c + ".predict.masks");
        float tol = 1e-4f * logits.Max(MathF.Abs) + 1e-5f;
        int mismatched = 0;
        for (int i = 0; i < masks.Length; i++)
        {
            if (masks[i] != r.Masks[i] && MathF.Abs(logits[i]) > tol) mismatched++;
        }
        Assert.Equal(0, mismatched);
    }

    /// <summary>
    /// SetImage caches the decoder's image side for prompts without a mask; case4's mask prompt replaces it. Whatever
    /// came before, each case must give bit for bit what it gives as the first prompt on a fresh segmenter.
    /// </summary>
    [Fact]
    public void PromptOrder_DoesNotMatter_MaskPromptsDoNotLeaveAStaleImageSide()
    {
        var fx = ReferenceFixture.A;
        var shape = fx.Shape("image.rgb");
        var image = new RgbImage(shape[1], shape[0], fx.Bytes("image.rgb"));
        var first = new Dictionary<string, PredictionResult>();
        foreach (var c in new[] { "case1", "case2", "case3", "case4", "case5" })
        {
            var fresh = FixtureASegmenter.Load(ReferenceFixture.A.CheckpointPath);
            fresh.SetImage(image);
            first[c] = fresh.Predict(Prompt(c));
        }
        var reused = FixtureASegmenter.Load(ReferenceFixture.A.CheckpointPath);
        reused.SetImage(image);
        foreach (var c in new[] { "case4", "case1", "case4", "case4", "case5", "case2", "case4", "case3", "case1" })
        {
            var r = reused.Predict(Prompt(c));
            Assert.True(r.LowResLogits.AsSpan().SequenceEqual(first[c].LowResLogits), $"{c} after other prompts: low-res logits differ from a fresh segmenter's");
            Assert.True(r.IouPredictions.AsSpan().SequenceEqual(first[c].IouPredictions), $"{c} after other prompts: IoU predictions differ");
        }
    }
}
