using QSam2.Training.Training;

namespace QSam2.Training.Evaluation;

/// <summary>
/// Deterministic evaluation prompts derived from a reference mask, in that mask's pixel frame (original image
/// pixels). Determinism matters twice: two models compared with <c>--against</c> see identical prompts, and
/// reruns of an evaluation give identical numbers.
/// </summary>
public static class EvalPrompts
{
    /// <summary>
    /// The prompt of <paramref name="kind"/> for <paramref name="mask"/>, or null for an empty mask.
    /// Box: tight box as inclusive pixel indices (the convention training boxes use). Point: the pixel farthest
    /// from the background (SAM's "centre of the object" click), ties broken towards the mask's centroid.
    /// Points3: that pixel, then twice the pixel of the object's core (at least half the maximal depth from the
    /// background) farthest from the clicks so far, which spreads the clicks over the interior.
    /// </summary>
    public static PromptPoints? For(EvalPromptKind kind, BinaryMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var bounds = mask.Bounds();
        if (bounds is null) return null;
        if (kind == EvalPromptKind.Box)
        {
            var b = bounds.Value;
            return PromptPoints.Box(b.X0, b.Y0, b.X1, b.Y1);
        }
        int count = kind == EvalPromptKind.Point ? 1 : 3;
        var edt = DistanceTransform.SquaredToBackground(mask);
        int w = mask.Width;
        double cx = 0, cy = 0, maxEdt = 0;
        int area = 0;
        for (int i = 0; i < edt.Length; i++)
        {
            if (mask.Data[i] == 0) continue;
            cx += i % w;
            cy += i / w;
            area++;
            maxEdt = Math.Max(maxEdt, edt[i]);
        }
        cx /= area;
        cy /= area;
        double CentroidD2(int i) => Sq((i % w) - cx) + Sq((i / w) - cy);

        var chosen = new List<int>();
        int first = -1;
        for (int i = 0; i < edt.Length; i++)
        {
            if (mask.Data[i] == 0) continue;
            if (first < 0 || edt[i] > edt[first] || (edt[i] == edt[first] && CentroidD2(i) < CentroidD2(first))) first = i;
        }
        chosen.Add(first);
        // Core: depth ≥ half the maximal depth (squared distances, so a quarter of the squared maximum).
        double coreEdt = maxEdt / 4;
        while (chosen.Count < count)
        {
            int best = -1;
            double bestSpread = -1;
            for (int i = 0; i < edt.Length; i++)
            {
                if (mask.Data[i] == 0 || edt[i] < coreEdt) continue;
                double spread = double.MaxValue;
                foreach (var c in chosen) spread = Math.Min(spread, Sq((i % w) - (c % w)) + Sq((i / w) - (c / w)));
                if (spread > bestSpread || (spread == bestSpread && (edt[i] > edt[best] || (edt[i] == edt[best] && CentroidD2(i) < CentroidD2(best)))))
                {
                    best = i;
                    bestSpread = spread;
                }
            }
            chosen.Add(best);
        }
        var xy = chosen.SelectMany(i => new float[] { i % w, i / w }).ToArray();
        return new PromptPoints(xy, Enumerable.Repeat(PointLabels.Positive, count).ToArray());
    }

    private static double Sq(double v) => v * v;
}
