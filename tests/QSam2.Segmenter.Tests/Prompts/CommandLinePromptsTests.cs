using QSam2.Segmenter.Prompts;

namespace QSam2.Segmenter.Tests.Prompts;

public class CommandLinePromptsTests
{
    [Fact]
    public void EachBoxIsOneObject()
    {
        var objects = CommandLinePrompts.Parse(new[] { "1,2,30,40", "5.5, 6 ,70,80" }, Array.Empty<string>());
        Assert.Equal(2, objects.Count);
        Assert.Equal((1f, 2f, 30f, 40f), (objects[0].Box!.X0, objects[0].Box!.Y0, objects[0].Box!.X1, objects[0].Box!.Y1));
        Assert.Equal((5.5f, 6f, 70f, 80f), (objects[1].Box!.X0, objects[1].Box!.Y0, objects[1].Box!.X1, objects[1].Box!.Y1));
        Assert.All(objects, o => Assert.Empty(o.Points));
    }

    [Fact]
    public void PointsJoinASingleBoxOrStandAlone()
    {
        var withBox = CommandLinePrompts.Parse(new[] { "0,0,10,10" }, new[] { "3,4", "5,6:0" });
        var only = Assert.Single(withBox);
        Assert.NotNull(only.Box);
        Assert.Equal(new[] { (3f, 4f, 1), (5f, 6f, 0) }, only.Points.Select(p => (p.X, p.Y, p.Label)));
        Assert.Equal(4, only.PromptPointCount);

        var clicks = Assert.Single(CommandLinePrompts.Parse(Array.Empty<string>(), new[] { "7,8:1" }));
        Assert.Null(clicks.Box);
        Assert.Equal((7f, 8f, 1), (clicks.Points[0].X, clicks.Points[0].Y, clicks.Points[0].Label));
    }

    [Fact]
    public void ToSam2PromptCarriesEverything()
    {
        var o = Assert.Single(CommandLinePrompts.Parse(new[] { "1,2,3,4" }, new[] { "5,6:0" }));
        var p = o.ToSam2Prompt(multimask: true);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, p.Box);
        Assert.Equal(new[] { 5f, 6f }, p.PointCoords);
        Assert.Equal(new[] { 0 }, p.PointLabels);
        Assert.True(p.MultimaskOutput);
        Assert.True(p.NormalizeCoords);
    }

    [Theory]
    [InlineData("1,2,3", "--box '1,2,3': expected 4 comma-separated numbers")]
    [InlineData("1,2,x,4", "'x' (value 3 of x0,y0,x1,y1) is not a finite number")]
    [InlineData("1,2,NaN,4", "is not a finite number")]
    [InlineData("1;2;3;4", "expected 4 comma-separated numbers")]
    public void BadBoxesAreNamed(string box, string expected)
    {
        var e = Assert.Throws<UsageException>(() => CommandLinePrompts.Parse(new[] { box }, Array.Empty<string>()));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("1", "--point '1': expected 2 comma-separated numbers")]
    [InlineData("1,2:2", "label '2' must be 1 (foreground) or 0 (background)")]
    [InlineData("1,2:fg", "label 'fg' must be 1")]
    [InlineData("1,2,3", "expected 2 comma-separated numbers")]
    public void BadPointsAreNamed(string point, string expected)
    {
        var e = Assert.Throws<UsageException>(() => CommandLinePrompts.Parse(Array.Empty<string>(), new[] { point }));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void PointsWithSeveralBoxesAreAmbiguous()
    {
        var e = Assert.Throws<UsageException>(() => CommandLinePrompts.Parse(new[] { "0,0,1,1", "1,1,2,2" }, new[] { "1,1" }));
        Assert.Contains("several --box", e.Message);
    }
}
