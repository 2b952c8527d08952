using System.Diagnostics;
using QSam2.Runtime.Segmenters;
using TorchSharp;

namespace QSam2.Bench.Segmenters;

/// <summary>
/// Quick timing of the image encoders outside BenchmarkDotNet:
/// <c>dotnet run -c Release --project bench/QSam2.Bench -- --segmenter-throughput [runs] [threads] [engines...]</c>
/// (engines: Torch, Fp32, W8A8, W4A8, W2A8, default all, each optionally suffixed <c>/decode</c> to time one box-prompt
/// decode on a cached embedding instead of the encoder; threads default 1). Prints, per engine, the median wall time
/// and the median process CPU time of <paramref name="runs"/> passes after one warm-up. On the shared development
/// machine wall time includes the time other tenants hold the cores; CPU time does not (for one thread it is the
/// encoder's own work, for two the sum over both threads). Also the loop to run under <c>perf record</c>.
/// </summary>
public static class SegmenterThroughput
{
    public static void Run(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0]) : 3;
        int threads = args.Length > 1 ? int.Parse(args[1]) : 1;
        var engines = args.Length > 2 ? args[2..] : new[] { "Torch", "Fp32", "W8A8", "W4A8", "W2A8" };
        Sam2Threads.Max = threads;
        torch.set_num_threads(threads);
        Console.WriteLine($"sam2.1_hiera_t 1024² image encoder (or /decode: one box-prompt decode), {threads} thread(s), median of {runs} after 1 warm-up; load average {LoadAverage()}");
        Console.WriteLine("| engine | wall ms | CPU ms |");
        Console.WriteLine("|---|---|---|");
        foreach (var engine in engines)
        {
            Action pass;
            IDisposable? owned = null;
            if (engine.EndsWith("/decode", StringComparison.Ordinal))
            {
                var name = engine[..^"/decode".Length];
                if (name == "Torch")
                {
                    var model = HieraTBenchModel.NewTorchModel();
                    var predictor = new QSam2.Training.Inference.Sam2ImagePredictor(model);
                    predictor.SetImage(HieraTBenchModel.Image);
                    owned = model;
                    var box = HieraTBenchModel.BoxPrompt.Box!;
                    pass = () =>
                    {
                        using var noGrad = torch.no_grad();
                        using var p = predictor.Predict(box: box, multimaskOutput: false);
                    };
                }
                else
                {
                    var segmenter = HieraTBenchModel.Load(name);
                    segmenter.SetImage(HieraTBenchModel.Image);
                    var prompt = HieraTBenchModel.BoxPrompt;
                    pass = () => segmenter.Predict(prompt);
                }
            }
            else if (engine == "Torch")
            {
                var model = HieraTBenchModel.NewTorchModel();
                int s = HieraTBenchModel.Spec.ImageSize;
                var input = torch.tensor(HieraTBenchModel.Input, new long[] { 1, 3, s, s });
                owned = model;
                pass = () =>
                {
                    using var noGrad = torch.no_grad();
                    using var scope = torch.NewDisposeScope();
                    using var f = model.ForwardImage(input);
                };
            }
            else
            {
                var segmenter = (IPreprocessedEncoder)HieraTBenchModel.Load(engine);
                pass = () => segmenter.EncodePreprocessed(HieraTBenchModel.Input);
            }
            pass();
            var wall = new double[runs];
            var cpu = new double[runs];
            for (int r = 0; r < runs; r++)
            {
                double c0 = CpuMs();
                long t0 = Stopwatch.GetTimestamp();
                pass();
                wall[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                cpu[r] = CpuMs() - c0;
            }
            owned?.Dispose();
            Console.WriteLine($"| {engine} | {Median(wall):F0} | {Median(cpu):F0} |");
        }
        Console.WriteLine($"load average at the end: {LoadAverage()}");
    }

    private static double CpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    internal static double Median(double[] v)
    {
        var s = v.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
