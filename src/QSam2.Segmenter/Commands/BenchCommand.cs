using System.CommandLine;
using System.Globalization;
using QSam2.Segmenter.Bench;
using QSam2.Segmenter.Models;

namespace QSam2.Segmenter.Commands;

/// <summary><c>sam2seg bench IMAGE [--model M] [--runs N] [--warmup W]</c>: per-stage median and p90 (<see cref="BenchRunner"/>).</summary>
internal static class BenchCommand
{
    public static Command Create(ModelCatalog catalog)
    {
        var image = new Argument<string>("image") { Description = "image file to encode" };
        var model = new Option<string>("--model", "-m") { Description = "model to time", DefaultValueFactory = _ => catalog.DefaultModel };
        var runs = new Option<int>("--runs") { Description = "timed runs per stage", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "untimed runs first", DefaultValueFactory = _ => 2 };
        var threads = new Option<int?>("--threads") { Description = "most threads a step runs on (default: every core)" };
        var command = new Command("bench", "Time the image encoder and the prompt decoder (median and p90)") { image, model, runs, warmup, threads };
        command.SetAction(parse =>
        {
            int previousThreads = QSam2.Runtime.Segmenters.Sam2Threads.Max;
            if (parse.GetValue(threads) is int t)
            {
                if (t < 1) throw new UsageException($"--threads {t}: must be at least 1");
                QSam2.Runtime.Segmenters.Sam2Threads.Max = t;
            }
            try
            {
                var m = catalog.Find(parse.GetValue(model)!);
                var r = BenchRunner.Run(parse.GetValue(image)!, m, parse.GetValue(runs), parse.GetValue(warmup));
                var o = parse.InvocationConfiguration.Output;
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Model} ({m.Precision}) on {r.Width}x{r.Height}, {QSam2.Runtime.Segmenters.Sam2Threads.Max} thread(s), {r.Encoder.Runs} runs after {parse.GetValue(warmup)} warm-up, load {r.LoadMs:F1} ms"));
                o.WriteLine($"{"stage",-14} {"median ms",10} {"p90 ms",10} {"min ms",10} {"max ms",10}");
                foreach (var s in new[] { r.Encoder, r.Decoder })
                {
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Stage,-14} {s.MedianMs,10:F2} {s.P90Ms,10:F2} {s.MinMs,10:F2} {s.MaxMs,10:F2}"));
                }
                return ExitCodes.Success;
            }
            finally
            {
                // The setting is process-wide; restore it for hosts that run several commands (the tests).
                QSam2.Runtime.Segmenters.Sam2Threads.Max = previousThreads;
            }
        });
        return command;
    }
}
