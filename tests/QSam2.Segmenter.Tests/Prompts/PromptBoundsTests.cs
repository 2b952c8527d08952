using QSam2.Segmenter.Prompts;

namespace QSam2.Segmenter.Tests.Prompts;

public class PromptBoundsTests
{
    private static IReadOnlyList<ObjectPrompt> Cli(string[] boxes, string[] points) => CommandLinePrompts.Parse(boxes, points);

    [Fact]
    public void PromptsOnTheImageEdgesAreAccepted()
    {
        PromptBounds.Check(Cli(new[] { "0,0,300,200" }, new[] { "300,200", "0,0:0" }), 300, 200, "img.png");
    }

    [Theory]
    [InlineData("0,0,301,10", "x1 = 301 is outside the image (img.png is width 300; valid x1 is 0..300)")]
    [InlineData("-1,0,10,10", "x0 = -1 is outside")]
    [InlineData("0,0,10,200.5", "y1 = 200.5 is outside the image (img.png is height 200")]
    [InlineData("10,10,5,20", "the box is empty")]
    [InlineData("10,10,20,10", "the box is empty")]
    public void BoxesOffTheImageOrEmptyAreRejected(string box, string expected)
    {
        var e = Assert.Throws<UsageException>(() => PromptBounds.Check(Cli(new[] { box }, Array.Empty<string>()), 300, 200, "img.png"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith($"--box '{box}'", e.Message);
    }

    [Theory]
    [InlineData("301,5", "x = 301 is outside")]
    [InlineData("5,-0.5", "y = -0.5 is outside")]
    public void PointsOffTheImageAreRejected(string point, string expected)
    {
        var e = Assert.Throws<UsageException>(() => PromptBounds.Check(Cli(Array.Empty<string>(), new[] { point }), 300, 200, "img.png"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TooManyPointsForTheCompiledSegmenterAreRejected()
    {
        var o = Cli(new[] { "0,0,5,5" }, new[] { "1,1", "2,2" });
        PromptBounds.CheckCount(o, 4, "m");
        var e = Assert.Throws<UsageException>(() => PromptBounds.CheckCount(o, 3, "m"));
        Assert.Contains("4 prompt points (a box counts 2) exceed the 3 that m was compiled for", e.Message);
    }
}
