using System.Globalization;
using QSam2.Segmenter.Output;
using QSam2.Segmenter.Tests.Infrastructure;
using QSam2.Tests.Shared;

namespace QSam2.Segmenter.Tests.EndToEnd;

public class ModelsAndBenchTests
{
    [Fact]
    public void ModelsListsBitsSizeAndStructureHash()
    {
        var run = AppRun.Of("models");
        Assert.True(run.Code == 0, run.ToString());
        var lines = run.Out.Split('\n');
        string size = ByteSize.Format(new FileInfo(TestCatalog.QswPath).Length);
        var fixture = Assert.Single(lines, l => l.StartsWith(TestCatalog.Model + " ", StringComparison.Ordinal));
        Assert.Contains(" FP32 ", fixture);
        Assert.Contains(size, fixture);
        Assert.Contains(FixtureASegmenter.StructureHashHex, fixture);
        Assert.Contains("(default)", fixture);
        var absent = Assert.Single(lines, l => l.StartsWith(TestCatalog.AbsentModel + " ", StringComparison.Ordinal));
        Assert.Contains("W4A8", absent);
        Assert.Contains("missing", absent);
    }

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(5 * 1024 * 1024 + 104858, "5.1 MiB")]
    public void SizesArePrintedInBinaryUnits(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public void BenchReportsMedianAndP90PerStage()
    {
        var run = AppRun.Of("bench", ReferenceFixture.A.ImagePath, "--runs", "3", "--warmup", "1", "--threads", "1");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("fixture-fp32 (FP32) on 300x200, 1 thread(s), 3 runs after 1 warm-up", run.Out);
        foreach (var stage in new[] { "image encoder", "prompt decode" })
        {
            var line = Assert.Single(run.Out.Split('\n'), l => l.StartsWith(stage, StringComparison.Ordinal));
            var numbers = line[stage.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(4, numbers.Length); // median, p90, min, max
            Assert.True(numbers.All(v => v > 0), line);
            Assert.True(numbers[2] <= numbers[0] && numbers[0] <= numbers[1] && numbers[1] <= numbers[3], line);
        }
    }
}
