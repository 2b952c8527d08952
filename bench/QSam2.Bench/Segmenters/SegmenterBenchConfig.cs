using BenchmarkDotNet.Configs;

namespace QSam2.Bench.Segmenters;

/// <summary>
/// Keeps the encoder and prompt-decode benchmarks in separate logical groups of the joined summary (BenchConfig joins
/// every type into one table), so each Ratio is against the TorchSharp baseline of its own category and thread count.
/// </summary>
public sealed class SegmenterBenchConfig : ManualConfig
{
    public SegmenterBenchConfig()
    {
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
    }
}
