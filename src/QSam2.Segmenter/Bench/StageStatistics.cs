namespace QSam2.Segmenter.Bench;

/// <summary>
/// Summary of one stage's timings: the median (mean of the two middle values for an even count) and the 90th
/// percentile by the nearest-rank method (the smallest sample with at least 90 % of the samples at or below it).
/// </summary>
public sealed record StageStatistics(string Stage, int Runs, double MedianMs, double P90Ms, double MinMs, double MaxMs)
{
    public static StageStatistics From(string stage, IReadOnlyList<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0) throw new ArgumentException("no samples", nameof(milliseconds));
        var sorted = milliseconds.OrderBy(v => v).ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        int rank = (int)Math.Ceiling(0.9 * n); // 1-based nearest rank
        return new StageStatistics(stage, n, median, sorted[rank - 1], sorted[0], sorted[n - 1]);
    }
}
