using QSam2.Runtime.Coco;

namespace QSam2.Runtime.Segmenters.Automatic;

/// <summary>
/// "Segment everything", as SAM2's <c>SAM2AutomaticMaskGenerator.generate</c> with one crop layer: prompt the image
/// with every point of an n×n grid (one foreground click each, three candidate masks), keep candidates whose
/// predicted IoU is above the threshold and whose stability score (IoU of the logits thresholded at ±offset) is at
/// least the threshold, then drop overlapping duplicates by greedy non-maximum suppression on mask boxes, highest
/// predicted IoU first. The image must already be set on the segmenter (its embedding is reused for every point).
/// </summary>
public static class AutomaticMaskGenerator
{
    /// <summary>
    /// The n×n grid in [0, 1]² (x, y pairs), SAM2's <c>build_point_grid</c>: cell centres
    /// <c>(i + 0.5) / n</c>, x varying fastest.
    /// </summary>
    public static float[] PointGrid(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "points per side must be at least 1");
        var grid = new float[2 * n * n];
        for (int y = 0; y < n; y++)
        {
            for (int x = 0; x < n; x++)
            {
                grid[2 * (y * n + x)] = (x + 0.5f) / n;
                grid[2 * (y * n + x) + 1] = (y + 0.5f) / n;
            }
        }
        return grid;
    }

    public static IReadOnlyList<AutoMask> Generate(Sam2SegmenterBase segmenter, AutoMaskOptions options, IProgress<int>? pointsDone = null)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!segmenter.IsImageSet) throw new InvalidOperationException("no image: call SetImage before generating masks");
        var (h, w) = segmenter.OriginalSize;
        var grid = PointGrid(options.PointsPerSide);
        var candidates = new List<AutoMask>();
        int points = grid.Length / 2;
        for (int p = 0; p < points; p++)
        {
            float px = grid[2 * p] * w, py = grid[2 * p + 1] * h;
            var r = segmenter.Predict(new Sam2Prompt
            {
                PointCoords = new[] { px, py },
                PointLabels = new[] { 1 },
                MultimaskOutput = true,
                ReturnLogits = true,
            });
            int plane = r.Height * r.Width;
            for (int c = 0; c < r.Count; c++)
            {
                float iou = r.IouPredictions[c];
                if (!(iou > options.PredIouThresh) && options.PredIouThresh > 0) continue;
                float stability = StabilityScore(r.MaskLogits.AsSpan(c * plane, plane), segmenter.MaskThreshold, options.StabilityScoreOffset);
                if (!(stability >= options.StabilityScoreThresh) && options.StabilityScoreThresh > 0) continue;
                var rle = Rle.Encode(r.Masks.AsSpan(c * plane, plane), r.Height, r.Width);
                if (rle.Area == 0) continue;
                // COCO's box of the pixels (x, y, width, height) as inclusive corners, SAM2's mask boxes.
                var box = Rle.ToBbox(rle);
                candidates.Add(new AutoMask(rle, (int)box.X, (int)box.Y, (int)(box.X + box.Width) - 1, (int)(box.Y + box.Height) - 1, iou, stability, px, py, c));
            }
            pointsDone?.Report(p + 1);
        }
        var keep = NonMaxSuppression(candidates.Select(m => ((float)m.X0, (float)m.Y0, (float)m.X1, (float)m.Y1)).ToList(),
            candidates.Select(m => m.PredictedIou).ToList(), options.BoxNmsThresh);
        return keep.Select(i => candidates[i]).ToList();
    }

    /// <summary>
    /// SAM2's <c>calculate_stability_score</c>: pixels with logit &gt; threshold + offset over pixels with logit &gt;
    /// threshold − offset (NaN for an empty mask, which no threshold keeps).
    /// </summary>
    public static float StabilityScore(ReadOnlySpan<float> logits, float threshold, float offset)
    {
        long intersection = 0, union = 0;
        float hi = threshold + offset, lo = threshold - offset;
        foreach (var v in logits)
        {
            if (v > hi) intersection++;
            if (v > lo) union++;
        }
        return union == 0 ? float.NaN : (float)intersection / union;
    }

    /// <summary>
    /// Greedy NMS (torchvision <c>nms</c>): boxes XYXY, visited by score descending (ties by index); a box is dropped
    /// when its IoU with a kept box exceeds <paramref name="iouThreshold"/>. IoU uses areas (x1 − x0)·(y1 − y0), as
    /// torchvision does for SAM2's inclusive mask boxes. Returns kept indices, highest score first.
    /// </summary>
    public static IReadOnlyList<int> NonMaxSuppression(IReadOnlyList<(float X0, float Y0, float X1, float Y1)> boxes, IReadOnlyList<float> scores, float iouThreshold)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(scores);
        if (boxes.Count != scores.Count) throw new ArgumentException($"{boxes.Count} boxes but {scores.Count} scores");
        var order = Enumerable.Range(0, boxes.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToList();
        var kept = new List<int>();
        foreach (int i in order)
        {
            var a = boxes[i];
            bool suppressed = false;
            foreach (int j in kept)
            {
                var b = boxes[j];
                float iw = MathF.Max(0, MathF.Min(a.X1, b.X1) - MathF.Max(a.X0, b.X0));
                float ih = MathF.Max(0, MathF.Min(a.Y1, b.Y1) - MathF.Max(a.Y0, b.Y0));
                float inter = iw * ih;
                float union = (a.X1 - a.X0) * (a.Y1 - a.Y0) + (b.X1 - b.X0) * (b.Y1 - b.Y0) - inter;
                if (inter / union > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) kept.Add(i);
        }
        return kept;
    }
}
