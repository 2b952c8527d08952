using BenchmarkDotNet.Running;
using QSam2.Bench;

// Run with e.g.: dotnet run -c Release --project bench/QSam2.Bench -- --filter '*ImageEncoder*'
// BenchConfig runs in-process (no child project build) with a few single-invocation iterations.
if (args.Length > 0 && args[0] == "--kernel-throughput")
{
    // CPU-time GEMM throughput table (bench/QSam2.Bench/Kernels/KernelThroughput.cs); not a BenchmarkDotNet run.
    QSam2.Bench.Kernels.KernelThroughput.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--segmenter-throughput")
{
    // Wall and CPU time of the hiera_t image encoders (bench/QSam2.Bench/Segmenters/SegmenterThroughput.cs); not BenchmarkDotNet.
    QSam2.Bench.Segmenters.SegmenterThroughput.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--mini-torch-throughput")
{
    // TorchSharp reference for `sam2seg bench` on the shipped sam2_mini (bench/QSam2.Bench/Segmenters/MiniTorchThroughput.cs).
    QSam2.Bench.Segmenters.MiniTorchThroughput.Run(args[1..]);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, new BenchConfig());
