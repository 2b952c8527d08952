using BenchmarkDotNet.Configs;

namespace QSam2.Bench.Kernels;

/// <summary>Adds the MAC-rate columns to the kernel benchmarks (merged with the global <see cref="BenchConfig"/>).</summary>
public sealed class KernelBenchConfig : ManualConfig
{
    public KernelBenchConfig()
    {
        AddColumn(new MacRateColumn(perCycle: false), new MacRateColumn(perCycle: true));
    }
}
