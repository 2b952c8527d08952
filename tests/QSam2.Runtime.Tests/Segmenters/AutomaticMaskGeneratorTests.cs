using QSam2.Runtime.Segmenters.Automatic;

namespace QSam2.Runtime.Tests.Segmenters;

/// <summary>The pieces of "segment everything" against values worked out by hand (SAM2's definitions).</summary>
public class AutomaticMaskGeneratorTests
{
    [Fact]
    public void PointGrid_IsTheCellCentres_XFastest()
    {
        Assert.Equal(new[] { 0.5f, 0.5f }, AutomaticMaskGenerator.PointGrid(1));
        Assert.Equal(new[] { 0.25f, 0.25f, 0.75f, 0.25f, 0.25f, 0.75f, 0.75f, 0.75f }, AutomaticMaskGenerator.PointGrid(2));
        var g = AutomaticMaskGenerator.PointGrid(32);
        Assert.Equal(2 * 32 * 32, g.Length);
        Assert.Equal(1f / 64, g[0]);
        Assert.Equal(1 - 1f / 64, g[^1]);
    }

    [Fact]
    public void StabilityScore_IsTheIoUOfTheMasksAtThresholdPlusAndMinusOffset()
    {
        // > +1: 2 pixels (3, 1.5); > −1: 4 pixels (3, 1.5, 0.5, −0.5) → 0.5. A logit exactly at +1 is not above it.
        Assert.Equal(0.5f, AutomaticMaskGenerator.StabilityScore(new[] { 3f, 1.5f, 0.5f, -0.5f, -1f, -4f }, 0f, 1f));
        Assert.Equal(1f / 3, AutomaticMaskGenerator.StabilityScore(new[] { 2f, 1f, 0.2f }, 0f, 1f));
        Assert.True(float.IsNaN(AutomaticMaskGenerator.StabilityScore(new[] { -2f, -3f }, 0f, 1f)));
    }

    [Fact]
    public void NonMaxSuppression_KeepsTheBestOfEachOverlappingGroup()
    {
        var boxes = new List<(float, float, float, float)>
        {
            (0, 0, 10, 10),   // score 0.8
            (1, 0, 11, 10),   // 0.9: IoU with box 0 = 90 / 110 = 0.818 → suppresses box 0 at 0.7
            (20, 20, 30, 30), // 0.5: disjoint, kept
            (0, 0, 10, 5),    // 0.95: IoU with box 1 = 45 / 105 = 0.43, kept
        };
        var scores = new List<float> { 0.8f, 0.9f, 0.5f, 0.95f };
        Assert.Equal(new[] { 3, 1, 2 }, AutomaticMaskGenerator.NonMaxSuppression(boxes, scores, 0.7f));
        // A threshold above 0.818 keeps box 0 too; 0.4 also drops box 1 (0.43 against box 3).
        Assert.Equal(new[] { 3, 1, 0, 2 }, AutomaticMaskGenerator.NonMaxSuppression(boxes, scores, 0.85f));
        Assert.Equal(new[] { 3, 2 }, AutomaticMaskGenerator.NonMaxSuppression(boxes, scores, 0.4f));
    }

    [Fact]
    public void Options_OutOfRange_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new AutoMaskOptions { PointsPerSide = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new AutoMaskOptions { PredIouThresh = 1.5f }.Validate());
        Assert.Throws<ArgumentException>(() => new AutoMaskOptions { BoxNmsThresh = -0.1f }.Validate());
        new AutoMaskOptions().Validate();
    }
}
