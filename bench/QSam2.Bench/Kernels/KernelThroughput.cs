using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace QSam2.Bench.Kernels;

/// <summary>
/// CPU-time throughput of the GEMM kernels: <c>dotnet run -c Release --project bench/QSam2.Bench -- --kernel-throughput [reps]</c>.
/// On a shared, oversubscribed machine wall time mostly measures the other tenants, so this runner times each
/// call by the process's CPU time (single-threaded kernels; best of reps) and converts to MAC/cycle with a clock
/// estimated from a dependent FMA chain (4-cycle latency on Zen3, docs/performance.md §2.3). Prints a Markdown table.
/// </summary>
public static class KernelThroughput
{
    private static readonly string[] Formats = { "F32", "W8A8", "W4A8", "W3A8", "W2A8", "W4A4", "W4A8g32" };
    private static readonly string[] Shapes = { "4096x384x1152", "4096x1536x384", "16384x192x576", "65536x96x384" };

    public static void Run(string[] args)
    {
        int reps = args.Length > 0 ? int.Parse(args[0]) : 5;
        double ghz = CalibrateGhz();
        Console.WriteLine($"Kernel set: {QSam2.Runtime.Kernels.KernelIsa.Selected}; clock from FMA chain ≈ {ghz:F2} GHz; best of {reps} (process CPU time)");
        Console.WriteLine();
        Console.WriteLine("| format | M×K×N | ms (CPU) | GMAC/s | MAC/cycle |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var shape in Shapes)
        {
            var (m, k, n) = GemmKernelCase.ParseShape(shape);
            foreach (var format in Formats)
            {
                var c = new GemmKernelCase(format, m, k, n);
                c.Run(); // warm-up (JIT, page faults)
                double best = double.MaxValue;
                for (int r = 0; r < reps; r++)
                {
                    double t0 = CpuSeconds();
                    c.Run();
                    best = Math.Min(best, CpuSeconds() - t0);
                }
                double gmacs = c.Macs / best / 1e9;
                Console.WriteLine($"| {format} | {shape} | {best * 1e3:F1} | {gmacs:F1} | {gmacs / ghz:F1} |");
            }
        }
    }

    private static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static double CalibrateGhz()
    {
        Chain(1_000, 1.0);
        const long n = 200_000_000;
        double t0 = CpuSeconds();
        double r = Chain(n, 1.0);
        double t = CpuSeconds() - t0;
        if (r == 42.0) Console.WriteLine(); // keep the chain observable
        return n * 4.0 / t / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Chain(long n, double x)
    {
        for (long i = 0; i < n; i++) x = Math.FusedMultiplyAdd(x, 0.999999, 1e-9);
        return x;
    }
}
