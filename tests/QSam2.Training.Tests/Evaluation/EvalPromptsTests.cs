using QSam2.Training.Evaluation;
using QSam2.Training.Training;

namespace QSam2.Training.Tests.Evaluation;

public class EvalPromptsTests
{
    private static BinaryMask Rect(int w, int h, int x0, int y0, int x1, int y1)
    {
        var data = new byte[w * h];
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) data[(y * w) + x] = 1;
        return new BinaryMask(w, h, data);
    }

    [Fact]
    public void BoxIsTheTightInclusiveBox()
    {
        var p = EvalPrompts.For(EvalPromptKind.Box, Rect(40, 30, 5, 7, 20, 12))!;
        Assert.Equal(new float[] { 5, 7, 20, 12 }, p.Xy);
        Assert.Equal(new[] { 2, 3 }, p.Labels);
    }

    [Fact]
    public void PointIsTheMostInteriorPixel()
    {
        // An 11×5 rectangle: the centre pixel (15, 9) is farthest from the background.
        var p = EvalPrompts.For(EvalPromptKind.Point, Rect(40, 30, 10, 7, 20, 11))!;
        Assert.Equal(new float[] { 15, 9 }, p.Xy);
        Assert.Equal(new[] { 1 }, p.Labels);
    }

    [Fact]
    public void ThreePointsAreDistinctPositiveAndInside()
    {
        var mask = Rect(60, 30, 5, 5, 54, 20);
        var p = EvalPrompts.For(EvalPromptKind.Points3, mask)!;
        Assert.Equal(new[] { 1, 1, 1 }, p.Labels);
        var pts = Enumerable.Range(0, 3).Select(i => ((int)p.Xy[2 * i], (int)p.Xy[(2 * i) + 1])).ToList();
        Assert.Equal(3, pts.Distinct().Count());
        Assert.All(pts, q => Assert.True(mask[q.Item1, q.Item2]));
        // Spread along the long axis: the later clicks sit left and right of the first.
        Assert.True(pts.Max(q => q.Item1) - pts.Min(q => q.Item1) > 20);
    }

    [Fact]
    public void EmptyMaskHasNoPrompt()
    {
        Assert.Null(EvalPrompts.For(EvalPromptKind.Box, new BinaryMask(4, 4, new byte[16])));
    }

    [Fact]
    public void PromptKindNamesRoundTrip()
    {
        foreach (var k in Enum.GetValues<EvalPromptKind>()) Assert.Equal(k, EvalPromptKinds.Parse(k.Name()));
        var e = Assert.Throws<ArgumentException>(() => EvalPromptKinds.Parse("mask"));
        Assert.Contains("--prompt", e.Message);
    }
}
