using System.Text.Json;
using QSam2.Runtime.Imaging;
using QSam2.Training.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Inference;

/// <summary>
/// The predictor against the official SAM2ImagePredictor outputs of fixture-a (random-weight reduced Hiera-T,
/// non-square 300×200 image, five prompt cases from prompts.json).
/// </summary>
public class Sam2ImagePredictorFixtureTests : IClassFixture<FixtureAPredictorFixture>
{
    private readonly FixtureAPredictorFixture _fx;

    public Sam2ImagePredictorFixtureTests(FixtureAPredictorFixture fx) => _fx = fx;

    /// <summary>One case of prompts.json.</summary>
    private sealed record Case(string Name, bool Multimask, float[,]? Points, int[]? Labels, float[]? Box, bool HasMaskInput);

    private Case LoadCase(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_fx.Reference.Directory, "prompts.json")));
        var c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        float[,]? points = null;
        int[]? labels = null;
        float[]? box = null;
        if (c.GetProperty("point_coords").ValueKind == JsonValueKind.Array)
        {
            var rows = c.GetProperty("point_coords").EnumerateArray().ToArray();
            points = new float[rows.Length, 2];
            for (int i = 0; i < rows.Length; i++)
            {
                points[i, 0] = rows[i][0].GetSingle();
                points[i, 1] = rows[i][1].GetSingle();
            }
            labels = c.GetProperty("point_labels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        }
        if (c.GetProperty("box").ValueKind == JsonValueKind.Array) box = c.GetProperty("box").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        return new Case(name, c.GetProperty("multimask_output").GetBoolean(), points, labels, box, c.GetProperty("mask_input").ValueKind == JsonValueKind.Object);
    }

    private static float[] Floats(Tensor t) => t.to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();

    /// <summary>case4's mask prompt: our own case2 low-res logits at the argmax of our case2 IoU, as [1,4e,4e].</summary>
    private Tensor Case4MaskInput()
    {
        var c2 = LoadCase("case2");
        using var p = _fx.Predictor.Predict(c2.Points, c2.Labels, c2.Box, null, c2.Multimask);
        int best = (int)p.IouPredictions.argmax().item<long>();
        Assert.Equal(1, best); // the decision the reference made (README "Compare the decisions too")
        return p.LowResLogits[best].unsqueeze(0).clone();
    }

    private Sam2Prediction Run(Case c, bool returnLogits)
    {
        using var mask = c.HasMaskInput ? Case4MaskInput() : null;
        return _fx.Predictor.Predict(c.Points, c.Labels, c.Box, mask, c.Multimask, returnLogits);
    }

    [Fact]
    public void ImageFeaturesMatchTheReference()
    {
        var r = _fx.Reference;
        FixtureAssert.Close(r.Float("predictor.image_embed"), Floats(_fx.Predictor.Features.ImageEmbed), "predictor.image_embed");
        FixtureAssert.Close(r.Float("predictor.high_res_feats.0"), Floats(_fx.Predictor.Features.HighRes0), "predictor.high_res_feats.0");
        FixtureAssert.Close(r.Float("predictor.high_res_feats.1"), Floats(_fx.Predictor.Features.HighRes1), "predictor.high_res_feats.1");
        using var embedding = _fx.Predictor.GetImageEmbedding();
        Assert.Equal(r.Shape("predictor.image_embed").Select(d => (long)d), embedding.shape);
    }

    [Theory]
    [InlineData("case1")]
    [InlineData("case2")]
    [InlineData("case3")]
    [InlineData("case4")]
    [InlineData("case5")]
    public void PromptTransformMatchesTheReference(string name)
    {
        var r = _fx.Reference;
        var c = LoadCase(name);
        float[,,]? points = null;
        int[,]? labels = null;
        if (c.Points is not null)
        {
            points = new float[1, c.Points.GetLength(0), 2];
            labels = new int[1, c.Labels!.Length];
            for (int i = 0; i < c.Labels.Length; i++) (points[0, i, 0], points[0, i, 1], labels[0, i]) = (c.Points[i, 0], c.Points[i, 1], c.Labels[i]);
        }
        float[,]? boxes = c.Box is null ? null : new float[,] { { c.Box[0], c.Box[1], c.Box[2], c.Box[3] } };
        var set = PromptPointSet.Build(boxes, points, labels, _fx.Image.Width, _fx.Image.Height, _fx.Model.Spec.ImageSize)!;

        FixtureAssert.Close(r.Float($"{name}.prompt_encoder.in.coords"), set.Coords, $"{name}.prompt_encoder.in.coords");
        Assert.Equal(r.Int($"{name}.prompt_encoder.in.labels"), set.Labels);
        if (c.Points is not null)
        {
            // The clicks alone (after the box corners) are _prep_prompts' unnorm_coords / labels.
            int skip = c.Box is null ? 0 : 2;
            FixtureAssert.Close(r.Float($"{name}.prep.unnorm_coords"), set.Coords.Skip(skip * 2).ToArray(), $"{name}.prep.unnorm_coords");
            Assert.Equal(r.Int($"{name}.prep.labels"), set.Labels.Skip(skip).ToArray());
        }
        if (c.Box is not null) FixtureAssert.Close(r.Float($"{name}.prep.unnorm_box"), set.Coords.Take(4).ToArray(), $"{name}.prep.unnorm_box");
    }

    [Theory]
    [InlineData("case1")]
    [InlineData("case2")]
    [InlineData("case3")]
    [InlineData("case4")]
    [InlineData("case5")]
    public void PredictMatchesTheOfficialPredictor(string name)
    {
        var r = _fx.Reference;
        var c = LoadCase(name);
        int h = _fx.Image.Height, w = _fx.Image.Width;

        using var logits = Run(c, returnLogits: true);
        var expectedLogits = r.Float($"{name}.predict.masks_logits");
        Assert.Equal(r.Shape($"{name}.predict.masks_logits").Select(d => (long)d), logits.Masks.shape);
        Assert.Equal(ScalarType.Float32, logits.Masks.dtype);
        FixtureAssert.Close(expectedLogits, Floats(logits.Masks), $"{name}.predict.masks_logits");
        FixtureAssert.Close(r.Float($"{name}.predict.iou_predictions"), Floats(logits.IouPredictions), $"{name}.predict.iou_predictions");
        var expectedLowRes = r.Float($"{name}.predict.low_res_masks");
        var lowRes = Floats(logits.LowResLogits);
        FixtureAssert.Close(expectedLowRes, lowRes, $"{name}.predict.low_res_masks");
        // The ±32 clamp hits the same pixels.
        Assert.Equal(expectedLowRes.Count(v => Math.Abs(v) >= 32f), lowRes.Count(v => Math.Abs(v) >= 32f));

        using var binary = Run(c, returnLogits: false);
        Assert.Equal(ScalarType.Bool, binary.Masks.dtype);
        var expectedMasks = r.Bytes($"{name}.predict.masks");
        double tol = FixtureAssert.Tolerance(expectedLogits);
        int masks = expectedMasks.Length / (h * w), compared = 0;
        for (int m = 0; m < masks; m++)
        {
            var actual = binary.MaskArray(m);
            for (int i = 0; i < h * w; i++)
            {
                int flat = m * h * w + i;
                if (Math.Abs(expectedLogits[flat]) <= tol) continue; // undecidable at float32 precision (README step 3)
                compared++;
                Assert.True(actual[i] == (expectedMasks[flat] != 0), $"{name} mask {m} pixel ({i % w}, {i / w}) differs");
            }
        }
        Assert.True(compared > expectedMasks.Length - 200, "almost every pixel is decidable");
    }

    [Fact]
    public void Case4MaskPromptEqualsTheReferenceMaskInput()
    {
        using var mask = Case4MaskInput();
        FixtureAssert.Close(_fx.Reference.Float("case4.input.mask_input"), Floats(mask), "case4.input.mask_input");
    }

    [Fact]
    public void BatchedBoxesEqualOneByOnePrediction()
    {
        var boxes = new float[,] { { 40, 30, 180, 150 }, { 150, 20, 290, 190 } };
        using var batch = _fx.Predictor.PredictBatch(boxes, multimaskOutput: false, returnLogits: true);
        Assert.Equal(new long[] { 2, 1, _fx.Image.Height, _fx.Image.Width }, batch.Masks.shape);
        Assert.Equal(new long[] { 2, 1 }, batch.IouPredictions.shape);
        Assert.Equal(new long[] { 2, 1, 64, 64 }, batch.LowResLogits.shape);
        for (int b = 0; b < 2; b++)
        {
            using var single = _fx.Predictor.Predict(box: new[] { boxes[b, 0], boxes[b, 1], boxes[b, 2], boxes[b, 3] }, multimaskOutput: false, returnLogits: true);
            var expected = Floats(single.Masks);
            FixtureAssert.Close(expected, Floats(batch.Masks[b]), $"batch {b} masks");
            FixtureAssert.Close(Floats(single.IouPredictions), Floats(batch.IouPredictions[b]), $"batch {b} iou");
        }
        // The first box is case1: the batched path reproduces the reference too.
        FixtureAssert.Close(_fx.Reference.Float("case1.predict.masks_logits"), Floats(batch.Masks[0]), "batched case1");
    }

    [Fact]
    public void InvalidPromptsAreRejectedWithClearMessages()
    {
        var p = _fx.Predictor;
        var e1 = Assert.Throws<PromptValidationException>(() => p.Predict(new float[,] { { 350, 10 } }, new[] { 1 }));
        Assert.Contains("outside the 300×200 image", e1.Message);
        var e2 = Assert.Throws<PromptValidationException>(() => p.Predict(new float[,] { { 10, 10 }, { 20, 20 } }, new[] { 1 }));
        Assert.Contains("1 point labels for 2 points", e2.Message);
        var e3 = Assert.Throws<PromptValidationException>(() => p.Predict(new float[,] { { 10, 10 } }, new[] { 2 }));
        Assert.Contains("label 2 must be 1 (foreground) or 0 (background)", e3.Message);
        var e4 = Assert.Throws<PromptValidationException>(() => p.Predict(box: new float[] { 100, 10, 50, 60 }));
        Assert.Contains("x0 <= x1", e4.Message);
        var e5 = Assert.Throws<PromptValidationException>(() => p.Predict(box: new float[] { 1, 2, 3 }));
        Assert.Contains("4 values", e5.Message);
        var e6 = Assert.Throws<PromptValidationException>(() => p.Predict());
        Assert.Contains("no prompt", e6.Message);
        using var badMask = zeros(1, 32, 32);
        var e7 = Assert.Throws<PromptValidationException>(() => p.Predict(new float[,] { { 10, 10 } }, new[] { 1 }, maskInput: badMask));
        Assert.Contains("[1,1,64,64]", e7.Message);
        var e8 = Assert.Throws<PromptValidationException>(() => p.Predict(new float[,] { { float.NaN, 10 } }, new[] { 1 }));
        Assert.Contains("finite", e8.Message);
    }

    [Fact]
    public void PromptingWithoutAnImageFails()
    {
        using var predictor = new Sam2ImagePredictor(_fx.Model);
        var e = Assert.Throws<InvalidOperationException>(() => predictor.Predict(new float[,] { { 10, 10 } }, new[] { 1 }));
        Assert.Contains("SetImage", e.Message);
        Assert.False(predictor.IsImageSet);
    }
}
