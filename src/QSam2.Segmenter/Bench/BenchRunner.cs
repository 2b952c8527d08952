using System.Diagnostics;
using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;
using QSam2.Segmenter.Models;

namespace QSam2.Segmenter.Bench;

/// <summary>
/// <c>sam2seg bench</c>: times the two stages a user pays for separately — the image encoder (<c>SetImage</c>:
/// preprocessing + encoder, once per image) and the prompt decoder (<c>Predict</c>: prompt encoder + mask decoder +
/// upsampling to the image size, once per prompt) — after warm-up runs, on one thread as the app runs.
/// The decode prompt is a box over the middle half of the image (one mask, as a box prompt returns).
/// </summary>
public static class BenchRunner
{
    public sealed record Result(string Model, int Width, int Height, double LoadMs, StageStatistics Encoder, StageStatistics Decoder);

    public static Result Run(string imagePath, SegmenterModel model, int runs, int warmup)
    {
        if (runs < 1) throw new UsageException($"--runs {runs}: must be at least 1");
        if (warmup < 0) throw new UsageException($"--warmup {warmup}: must be 0 or more");
        var image = ImageCodec.Load(imagePath);

        long t0 = Stopwatch.GetTimestamp();
        var segmenter = model.Open();
        double loadMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;

        var prompt = new Sam2Prompt
        {
            Box = new[] { image.Width * 0.25f, image.Height * 0.25f, image.Width * 0.75f, image.Height * 0.75f },
            MultimaskOutput = false,
        };
        for (int i = 0; i < warmup; i++)
        {
            segmenter.SetImage(image);
            segmenter.Predict(prompt);
        }
        var encode = new double[runs];
        var decode = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long a = Stopwatch.GetTimestamp();
            segmenter.SetImage(image);
            long b = Stopwatch.GetTimestamp();
            segmenter.Predict(prompt);
            long c = Stopwatch.GetTimestamp();
            encode[i] = Stopwatch.GetElapsedTime(a, b).TotalMilliseconds;
            decode[i] = Stopwatch.GetElapsedTime(b, c).TotalMilliseconds;
        }
        return new Result(model.Name, image.Width, image.Height, loadMs,
            StageStatistics.From("image encoder", encode), StageStatistics.From("prompt decode", decode));
    }
}
