using System.Diagnostics;
using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Imaging;
using QSam2.Spec.Arch;
using QSam2.Training.Inference;
using QSam2.Training.Modeling;
using TorchSharp;

namespace QSam2.Bench.Segmenters;

/// <summary>
/// The TorchSharp FP32 reference for <c>sam2seg bench</c>: the shipped <c>sam2_mini</c> checkpoint on
/// <c>samples/shapes.png</c>, timed per stage like sam2seg times its embedded models (image encoder = <c>SetImage</c>,
/// prompt decode = one single-mask box <c>Predict</c>), median and p90 of N runs after 2 warm-ups, 1 thread:
/// <c>dotnet run -c Release --project bench/QSam2.Bench -- --mini-torch-throughput [runs] [x0,y0,x1,y1]</c>.
/// </summary>
public static class MiniTorchThroughput
{
    public static void Run(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0]) : 10;
        float[] box = (args.Length > 1 ? args[1] : "154,63,216,124").Split(',').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        torch.set_num_threads(1);
        string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(BenchPaths.ArchSpec("sam2_mini"))!, "..", ".."));
        string ckpt = Path.Combine(root, "models", "sam2_mini", "sam2_mini.pt");
        using var model = new Sam2Model(ArchSpecReader.ReadFile(BenchPaths.ArchSpec("sam2_mini")));
        model.LoadStateDict(CheckpointReader.Read(ckpt), ckpt);
        model.eval();
        using var predictor = new Sam2ImagePredictor(model);
        var image = ImageCodec.Load(Path.Combine(root, "samples", "shapes.png"));
        using var noGrad = torch.no_grad();

        var encode = Time(runs, () => predictor.SetImage(image));
        var decode = Time(runs, () => { using var p = predictor.Predict(box: box, multimaskOutput: false); });
        Console.WriteLine($"TorchSharp FP32 sam2_mini ({ckpt}), samples/shapes.png, box {string.Join(",", box)}, 1 thread, {runs} runs after 2 warm-ups; load average {SegmenterThroughput.LoadAverage()}");
        Console.WriteLine("| stage | median ms | p90 ms |");
        Console.WriteLine("|---|--:|--:|");
        Console.WriteLine($"| image encoder (SetImage) | {encode.Median:F1} | {encode.P90:F1} |");
        Console.WriteLine($"| prompt decode (Predict, box) | {decode.Median:F1} | {decode.P90:F1} |");
    }

    private static (double Median, double P90) Time(int runs, Action pass)
    {
        pass();
        pass();
        var ms = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            pass();
            ms[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(ms);
        return (SegmenterThroughput.Median(ms), ms[Math.Min(runs - 1, (int)Math.Ceiling(0.9 * runs) - 1)]);
    }
}
