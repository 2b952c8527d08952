namespace QSam2.Training.Training;

/// <summary>
/// Training prompts sampled the way SAM2's trainer does (<c>training/utils/data_utils</c>,
/// <c>sam2/modeling/sam2_utils.py</c>): a noisy box (<c>sample_box_points</c>), clicks drawn uniformly from the
/// object (<c>sample_random_points_from_errors</c> with no prediction), and correction clicks drawn uniformly from
/// the error region of the previous prediction (negative on false positives, positive on false negatives).
/// All coordinates are model-input pixels (integer pixel indices, as SAM2 samples them); masks are at that size.
/// </summary>
public static class PromptSampler
{
    /// <summary>SAM2's box noise: each corner moves uniformly by up to this fraction of the box side.</summary>
    public const double BoxNoise = 0.1;

    /// <summary>SAM2's bound on the box noise, in pixels of its 1024 input; scaled to the model input size.</summary>
    public const double BoxNoiseBound1024 = 20;

    /// <summary>
    /// Tight box of <paramref name="mask"/> with every coordinate jittered uniformly by ±min(0.1·side, 20·S/1024)
    /// and clamped to the image. Throws for an empty mask.
    /// </summary>
    public static PromptPoints NoisyBox(BinaryMask mask, Random rng)
    {
        var b = mask.Bounds() ?? throw new ArgumentException("cannot sample a box from an empty mask", nameof(mask));
        double bound = BoxNoiseBound1024 * Math.Max(mask.Width, mask.Height) / 1024.0;
        double maxDx = Math.Min((b.X1 - b.X0) * BoxNoise, bound);
        double maxDy = Math.Min((b.Y1 - b.Y0) * BoxNoise, bound);
        double Jitter(double v, double max, int limit) => Math.Clamp(v + (2 * rng.NextDouble() - 1) * max, 0, limit - 1);
        return PromptPoints.Box(
            (float)Jitter(b.X0, maxDx, mask.Width), (float)Jitter(b.Y0, maxDy, mask.Height),
            (float)Jitter(b.X1, maxDx, mask.Width), (float)Jitter(b.Y1, maxDy, mask.Height));
    }

    /// <summary>
    /// Clicks for one object: the first is positive (uniform over the object); each further click is positive
    /// with probability <paramref name="positiveProbability"/>, else negative, drawn from the background inside
    /// the object's box grown by half its size on each side (near the object, where a user would click).
    /// </summary>
    public static PromptPoints Clicks(BinaryMask mask, int count, double positiveProbability, Random rng)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one click is needed");
        var b = mask.Bounds() ?? throw new ArgumentException("cannot sample clicks from an empty mask", nameof(mask));
        var xy = new List<float>();
        var labels = new List<int>();
        for (int i = 0; i < count; i++)
        {
            bool positive = i == 0 || rng.NextDouble() < positiveProbability;
            (int X, int Y)? p = positive ? SampleUniform(mask, true, (0, 0, mask.Width - 1, mask.Height - 1), rng) : null;
            if (!positive)
            {
                int gw = (b.X1 - b.X0 + 1) / 2 + 1, gh = (b.Y1 - b.Y0 + 1) / 2 + 1;
                var region = (Math.Max(0, b.X0 - gw), Math.Max(0, b.Y0 - gh), Math.Min(mask.Width - 1, b.X1 + gw), Math.Min(mask.Height - 1, b.Y1 + gh));
                p = SampleUniform(mask, false, region, rng);
                // An object that fills its surroundings has no background near it: fall back to a positive click.
                if (p is null) { positive = true; p = SampleUniform(mask, true, (0, 0, mask.Width - 1, mask.Height - 1), rng); }
            }
            xy.Add(p!.Value.X);
            xy.Add(p.Value.Y);
            labels.Add(positive ? PointLabels.Positive : PointLabels.Negative);
        }
        return new PromptPoints(xy.ToArray(), labels.ToArray());
    }

    /// <summary>
    /// One correction click (SAM2 <c>sample_random_points_from_errors</c>, one point): uniform over the pixels
    /// where <paramref name="prediction"/> and <paramref name="truth"/> disagree; negative on a false positive,
    /// positive on a false negative. A perfect prediction gives a negative click on the background (SAM2's rule),
    /// or a positive one if the mask covers the whole image.
    /// </summary>
    public static (float X, float Y, int Label) CorrectionClick(BinaryMask truth, BinaryMask prediction, Random rng)
    {
        if (truth.Width != prediction.Width || truth.Height != prediction.Height)
            throw new ArgumentException($"prediction is {prediction.Width}x{prediction.Height}, truth {truth.Width}x{truth.Height}");
        int errors = 0;
        for (int i = 0; i < truth.Data.Length; i++) if ((truth.Data[i] != 0) != (prediction.Data[i] != 0)) errors++;
        if (errors == 0)
        {
            var full = (0, 0, truth.Width - 1, truth.Height - 1);
            var bg = SampleUniform(truth, false, full, rng);
            if (bg is { } b) return (b.X, b.Y, PointLabels.Negative);
            var fg = SampleUniform(truth, true, full, rng)!.Value;
            return (fg.X, fg.Y, PointLabels.Positive);
        }
        int k = rng.Next(errors);
        for (int i = 0; i < truth.Data.Length; i++)
        {
            bool t = truth.Data[i] != 0;
            if (t == (prediction.Data[i] != 0)) continue;
            if (k-- == 0) return (i % truth.Width, i / truth.Width, t ? PointLabels.Positive : PointLabels.Negative);
        }
        throw new InvalidOperationException("unreachable: error pixel count changed while sampling");
    }

    /// <summary>A pixel drawn uniformly among those inside <paramref name="region"/> (inclusive) whose value is <paramref name="foreground"/>.</summary>
    internal static (int X, int Y)? SampleUniform(BinaryMask mask, bool foreground, (int X0, int Y0, int X1, int Y1) region, Random rng)
    {
        int n = 0;
        for (int y = region.Y0; y <= region.Y1; y++)
            for (int x = region.X0; x <= region.X1; x++)
                if ((mask.Data[(y * mask.Width) + x] != 0) == foreground) n++;
        if (n == 0) return null;
        int k = rng.Next(n);
        for (int y = region.Y0; y <= region.Y1; y++)
            for (int x = region.X0; x <= region.X1; x++)
                if ((mask.Data[(y * mask.Width) + x] != 0) == foreground && k-- == 0) return (x, y);
        throw new InvalidOperationException("unreachable: pixel count changed while sampling");
    }
}
