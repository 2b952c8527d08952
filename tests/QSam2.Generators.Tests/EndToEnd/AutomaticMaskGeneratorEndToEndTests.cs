using QSam2.Generators.Tests.Segmenters;
using QSam2.Runtime.Coco;
using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;
using QSam2.Runtime.Segmenters.Automatic;
using QSam2.Tests.Shared;

namespace QSam2.Generators.Tests.EndToEnd;

/// <summary>
/// "Segment everything" on fixture-a with the generated FP32 segmenter, against prompting the same grid points one
/// by one through <see cref="Sam2SegmenterBase.Predict(Sam2Prompt)"/>: with the filters open every non-empty
/// candidate comes back unchanged; with filters on, every kept mask passes them and no two kept boxes overlap
/// beyond the NMS threshold.
/// </summary>
public class AutomaticMaskGeneratorEndToEndTests
{
    private static FixtureASegmenter Segmenter()
    {
        var s = FixtureASegmenter.Load(ReferenceFixture.A.CheckpointPath);
        var shape = ReferenceFixture.A.Shape("image.rgb");
        s.SetImage(new RgbImage(shape[1], shape[0], ReferenceFixture.A.Bytes("image.rgb")));
        return s;
    }

    [Fact]
    public void WithFiltersOpen_EveryCandidateOfEveryGridPointComesBack()
    {
        var s = Segmenter();
        var (h, w) = s.OriginalSize;
        var masks = AutomaticMaskGenerator.Generate(s, new AutoMaskOptions { PointsPerSide = 3, PredIouThresh = 0, StabilityScoreThresh = 0, BoxNmsThresh = 1 });

        var grid = AutomaticMaskGenerator.PointGrid(3);
        var expected = new List<(float X, float Y, int C, byte[] Mask, float Iou)>();
        for (int p = 0; p < 9; p++)
        {
            float x = grid[2 * p] * w, y = grid[2 * p + 1] * h;
            var r = s.Predict(pointCoords: new[] { x, y }, pointLabels: new[] { 1 }, multimaskOutput: true);
            for (int c = 0; c < r.Count; c++)
            {
                var m = r.Masks.AsSpan(c * w * h, w * h).ToArray();
                if (m.Any(v => v != 0)) expected.Add((x, y, c, m, r.IouPredictions[c]));
            }
        }
        Assert.Equal(expected.Count, masks.Count);
        foreach (var e in expected)
        {
            var got = Assert.Single(masks, m => m.PointX == e.X && m.PointY == e.Y && m.Candidate == e.C);
            Assert.Equal(e.Iou, got.PredictedIou);
            Assert.Equal(e.Mask, Rle.Decode(got.Rle));
            Assert.Equal(e.Mask.Count(v => v != 0), got.Area);
        }
        // Highest predicted IoU first.
        Assert.Equal(masks.Select(m => m.PredictedIou).OrderByDescending(v => v), masks.Select(m => m.PredictedIou));
    }

    [Fact]
    public void WithFilters_KeptMasksPassThemAndDoNotOverlapBeyondTheNmsThreshold()
    {
        var s = Segmenter();
        var options = new AutoMaskOptions { PointsPerSide = 6, PredIouThresh = 0.3f, StabilityScoreThresh = 0.5f };
        var masks = AutomaticMaskGenerator.Generate(s, options);
        Assert.NotEmpty(masks);
        foreach (var m in masks)
        {
            Assert.True(m.PredictedIou > options.PredIouThresh);
            Assert.True(m.StabilityScore >= options.StabilityScoreThresh);
            var box = Rle.ToBbox(m.Rle);
            Assert.Equal((box.X, box.Y, box.X + box.Width - 1, box.Y + box.Height - 1), (m.X0, m.Y0, m.X1, m.Y1));
        }
        for (int i = 0; i < masks.Count; i++)
            for (int j = i + 1; j < masks.Count; j++)
            {
                var (a, b) = (masks[i], masks[j]);
                float iw = Math.Max(0, Math.Min(a.X1, b.X1) - Math.Max(a.X0, b.X0)), ih = Math.Max(0, Math.Min(a.Y1, b.Y1) - Math.Max(a.Y0, b.Y0));
                float union = (a.X1 - a.X0) * (a.Y1 - a.Y0) + (b.X1 - b.X0) * (b.Y1 - b.Y0) - iw * ih;
                Assert.True(iw * ih / union <= options.BoxNmsThresh, $"masks {i} and {j} overlap beyond the NMS threshold");
            }
    }
}
