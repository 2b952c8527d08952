using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace QSam2.Bench;

/// <summary>
/// One in-process job with few iterations. In-process because the default toolchain builds a generated
/// child project that misses this repository's Directory.Build.targets (the TorchSharp GLIBCXX fix), and
/// because a SAM2 image-encoder forward takes seconds, so BenchmarkDotNet's pilot/unroll stages only add time.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        // Loggers, exporters (markdown/CSV/HTML under BenchmarkDotNet.Artifacts) and analysers of the default config.
        Add(DefaultConfig.Instance);
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("FewIterations"));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        WithOptions(ConfigOptions.JoinSummary);
    }
}
