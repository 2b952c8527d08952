using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace QSam2.Bench.Kernels;

/// <summary>
/// GMAC/s (M·K·N / median time) or MAC/cycle at an assumed core clock: 2.9 GHz, the effective clock measured
/// on the development machine (docs/performance.md §2.3); override with QSAM2_BENCH_GHZ.
/// </summary>
public sealed class MacRateColumn : IColumn
{
    private readonly bool _perCycle;

    public MacRateColumn(bool perCycle) => _perCycle = perCycle;

    public static double Ghz =>
        double.TryParse(Environment.GetEnvironmentVariable("QSAM2_BENCH_GHZ"), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var g) && g > 0 ? g : 2.9;

    public string Id => _perCycle ? "MacPerCycle" : "GMacPerSecond";
    public string ColumnName => _perCycle ? $"MAC/cycle@{Ghz:0.0#}GHz" : "GMAC/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => _perCycle ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => _perCycle ? "multiply-accumulates per core cycle at the assumed clock" : "billions of multiply-accumulates per second (median)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        var shape = benchmarkCase.Parameters["Shape"] as string;
        if (report?.ResultStatistics is null || shape is null) return "-";
        var (m, k, n) = GemmKernelCase.ParseShape(shape);
        double gmacs = (double)m * k * n / report.ResultStatistics.Median; // MAC per ns = GMAC/s
        return (_perCycle ? gmacs / Ghz : gmacs).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
