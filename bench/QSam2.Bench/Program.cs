using BenchmarkDotNet.Running;
using QSam2.Bench;

// Run with e.g.: dotnet run -c Release --project bench/QSam2.Bench -- --filter '*ImageEncoder*'
// BenchConfig runs in-process (no child project build) with a few single-invocation iterations.
BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, new BenchConfig());
