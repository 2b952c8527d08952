using QSam2.Runtime.Segmenters;

namespace QSam2.Runtime.Tests.Segmenters;

/// <summary>
/// SAM2's hole filling and sprinkle removal on hand-drawn planes ('#' = logit +1, '.' = −1, threshold 0), with the
/// expected planes worked out by hand; the diagonal chain off the box's corner tells 8-connectivity (SAM2's) from
/// 4-connectivity, under which its two pixels would be separate 1-pixel sprinkles.
/// </summary>
public class MaskPostprocessingTests
{
    private static readonly string[] Input =
    {
        "........",
        ".#####..",
        ".#..##..",
        ".#####..",
        "......#.",
        "#......#",
        "........",
        "...#....",
    };

    private static float[] Plane(string[] rows) => rows.SelectMany(r => r.Select(c => c == '#' ? 1f : -1f)).ToArray();

    private static string[] Render(float[] plane, int w) =>
        Enumerable.Range(0, plane.Length / w).Select(y => new string(plane.Skip(y * w).Take(w).Select(v => v > 0 ? '#' : '.').ToArray())).ToArray();

    [Fact]
    public void FillsHolesUpToTheArea()
    {
        var x = Plane(Input);
        MaskPostprocessing.FillHolesAndRemoveSprinkles(x, 1, 8, 8, 0f, maxHoleArea: 2, maxSprinkleArea: 0);
        // The 2-pixel hole inside the box is filled; the big background component is not.
        Assert.Equal(new[]
        {
            "........",
            ".#####..",
            ".#####..",
            ".#####..",
            "......#.",
            "#......#",
            "........",
            "...#....",
        }, Render(x, 8));
        Assert.Equal(MaskPostprocessing.Margin, x[2 * 8 + 2]);
        Assert.Equal(1f, x[1 * 8 + 1]);
    }

    [Fact]
    public void RemovesSprinkles_EightConnected()
    {
        var x = Plane(Input);
        MaskPostprocessing.FillHolesAndRemoveSprinkles(x, 1, 8, 8, 0f, maxHoleArea: 0, maxSprinkleArea: 1);
        // Single pixels at (x 0, y 5) and (3, 7) go; the chain (6, 4)-(7, 5) touches the box's corner (5, 3)
        // diagonally, so it belongs to the box's component and stays.
        Assert.Equal(new[]
        {
            "........",
            ".#####..",
            ".#..##..",
            ".#####..",
            "......#.",
            ".......#",
            "........",
            "........",
        }, Render(x, 8));
        Assert.Equal(-MaskPostprocessing.Margin, x[5 * 8 + 0]);
    }

    [Fact]
    public void BothRules_AreDecidedOnTheInput_AndPlanesAreIndependent()
    {
        var two = Plane(Input).Concat(Plane(Input.Select(r => new string('.', 8)).ToArray())).ToArray();
        MaskPostprocessing.FillHolesAndRemoveSprinkles(two, 2, 8, 8, 0f, maxHoleArea: 2, maxSprinkleArea: 2);
        Assert.Equal(new[]
        {
            "........",
            ".#####..",
            ".#####..",
            ".#####..",
            "......#.",
            ".......#",
            "........",
            "........",
        }, Render(two.Take(64).ToArray(), 8));
        // An all-background plane is one big background component: nothing changes.
        Assert.All(two.Skip(64), v => Assert.Equal(-1f, v));
    }

    [Fact]
    public void ThresholdIsRespected_ALogitAtTheThresholdIsBackground()
    {
        var x = Enumerable.Repeat(0.5f, 9).ToArray();
        MaskPostprocessing.FillHolesAndRemoveSprinkles(x, 1, 3, 3, 0.5f, maxHoleArea: 0, maxSprinkleArea: 9);
        Assert.All(x, v => Assert.Equal(0.5f, v));   // every pixel ≤ threshold: no foreground component at all
        var y = Enumerable.Repeat(0.5f, 9).ToArray();
        y[0] = 0.6f;
        MaskPostprocessing.FillHolesAndRemoveSprinkles(y, 1, 3, 3, 0.5f, maxHoleArea: 0, maxSprinkleArea: 1);
        Assert.Equal(0.5f - MaskPostprocessing.Margin, y[0]);
    }

    [Fact]
    public void ZeroAreas_LeaveTheLogitsUntouched_AndBadArgumentsAreRejected()
    {
        var x = Plane(Input);
        var before = x.ToArray();
        MaskPostprocessing.FillHolesAndRemoveSprinkles(x, 1, 8, 8, 0f, 0, 0);
        Assert.Equal(before, x);
        Assert.Throws<ArgumentException>(() => MaskPostprocessing.FillHolesAndRemoveSprinkles(x, 2, 8, 8, 0f, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskPostprocessing.FillHolesAndRemoveSprinkles(x, 1, 8, 8, 0f, -1, 0));
    }
}
