using QSam2.Segmenter.Bench;

namespace QSam2.Segmenter.Tests.Output;

public class StageStatisticsTests
{
    [Fact]
    public void MedianAndNearestRankP90()
    {
        // Ten samples in shuffled order: median = (5 + 6) / 2, p90 = 9th smallest (ceil(0.9 × 10) = 9).
        var s = StageStatistics.From("s", new double[] { 7, 1, 10, 3, 5, 9, 2, 8, 6, 4 });
        Assert.Equal((5.5, 9.0, 1.0, 10.0, 10), (s.MedianMs, s.P90Ms, s.MinMs, s.MaxMs, s.Runs));

        var odd = StageStatistics.From("s", new double[] { 3, 1, 2 });
        Assert.Equal((2.0, 3.0), (odd.MedianMs, odd.P90Ms)); // ceil(2.7) = 3rd smallest

        var one = StageStatistics.From("s", new double[] { 4.25 });
        Assert.Equal((4.25, 4.25), (one.MedianMs, one.P90Ms));
    }
}
