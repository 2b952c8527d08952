using System.Diagnostics;
using System.Globalization;
using QSam2.Gpu.Device;
using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;

namespace QSam2.GpuBench;

/// <summary>
/// Times <c>SetImage</c> (preprocessing, image encoder, cached features back in host memory) of the generated
/// sam2.1_hiera_t segmenters on the GPU path and the CPU path, and prints a markdown table. Each precision: one warm-up
/// call per backend (kernel compilation, first-touch), then <c>reps</c> timed calls; the median is reported.
/// </summary>
internal static class EncoderTiming
{
    private sealed record Model(string Name, Func<string, Sam2Backend, Sam2SegmenterBase> Load, QSam2.Spec.Quant.Qsw.QswLayout Layout);

    public static int Run(int reps, bool simulated, IReadOnlyCollection<string> only, bool loadOnly)
    {
        var models = new[]
        {
            new Model("FP32", (p, b) => HieraTFp32.Load(p, b), HieraTFp32.QswLayout),
            new Model("W8A8", (p, b) => HieraTW8A8.Load(p, b), HieraTW8A8.QswLayout),
            new Model("W4A8", (p, b) => HieraTW4A8.Load(p, b), HieraTW4A8.QswLayout),
        };
        var gpuBackend = simulated ? Sam2Backend.GpuSimulated : Sam2Backend.Gpu;
        var device = GpuDevice.Shared(simulated ? GpuDeviceKind.CpuSimulator : GpuDeviceKind.Cuda);
        var image = TestImage(1024, 1024);
        Console.WriteLine($"sam2.1_hiera_t, 1024×1024 image, SetImage (preprocess + encoder + features back), median of {reps}");
        Console.WriteLine($"GPU path: {device.Name} ({gpuBackend}); CPU path: {Environment.ProcessorCount} threads, {QSam2.Runtime.Kernels.KernelIsa.Selected}");
        Console.WriteLine();
        Console.WriteLine("| precision | CPU path (ms) | GPU path (ms) | speed-up | GPU first call (s) | embedding rel. L2 (GPU vs CPU) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var m in models.Where(m => only.Count == 0 || only.Contains(m.Name, StringComparer.OrdinalIgnoreCase)))
        {
            var path = Path.Combine(Path.GetTempPath(), $"qsam2-gpubench-{Environment.ProcessId}-{m.Name}.qsw");
            File.WriteAllBytes(path, BenchWeights.Create(m.Layout, seed: 1));
            try
            {
                var cpu = m.Load(path, Sam2Backend.Cpu);
                var gpu = m.Load(path, gpuBackend);
                if (loadOnly)
                {
                    Console.WriteLine($"| {m.Name} | loaded | loaded | | | |");
                    (gpu as IDisposable)?.Dispose();
                    continue;
                }
                var first = Stopwatch.StartNew();
                gpu.SetImage(image);
                double firstSeconds = first.Elapsed.TotalSeconds;
                cpu.SetImage(image);
                double cpuMs = Median(reps, () => cpu.SetImage(image));
                double gpuMs = Median(reps, () => gpu.SetImage(image));
                double rel = RelativeL2(cpu.GetImageEmbedding(), gpu.GetImageEmbedding());
                (gpu as IDisposable)?.Dispose();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {m.Name} | {cpuMs:F1} | {gpuMs:F2} | {cpuMs / gpuMs:F1}× | {firstSeconds:F1} | {rel:G3} |"));
            }
            finally
            {
                File.Delete(path);
            }
        }
        return 0;
    }

    private static double Median(int reps, Action action)
    {
        var times = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return reps % 2 == 1 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
    }

    private static double RelativeL2(float[] expected, float[] actual)
    {
        double num = 0, den = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = expected[i] - actual[i];
            num += d * d;
            den += (double)expected[i] * expected[i];
        }
        return den == 0 ? double.NaN : Math.Sqrt(num / den);
    }

    private static RgbImage TestImage(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)((i * 7 + i / (3 * width) * 13) % 251);
        return new RgbImage(width, height, rgb);
    }
}
