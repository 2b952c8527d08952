namespace QSam2.Runtime.Segmenters;

/// <summary>
/// SAM2's optional clean-up of low-res mask logits before they are upsampled (<c>SAM2Transforms.postprocess_masks</c>
/// with the predictor's <c>max_hole_area</c> / <c>max_sprinkle_area</c>): a background component (logit ≤ threshold)
/// of at most <c>maxHoleArea</c> pixels becomes foreground (threshold + 10), a foreground component (&gt; threshold) of
/// at most <c>maxSprinkleArea</c> pixels becomes background (threshold − 10). Components are 8-connected, as SAM2's
/// <c>get_connected_components</c>, and both sets are found on the input logits. Areas are in low-res pixels.
/// </summary>
public static class MaskPostprocessing
{
    /// <summary>The logit SAM2 writes into a filled hole or a removed sprinkle, relative to the threshold.</summary>
    public const float Margin = 10f;

    /// <summary>Applies both rules to each of the <paramref name="planes"/> h×w planes of <paramref name="logits"/> in place; 0 disables a rule.</summary>
    public static void FillHolesAndRemoveSprinkles(Span<float> logits, int planes, int h, int w, float threshold, float maxHoleArea, float maxSprinkleArea)
    {
        if (planes < 0 || h <= 0 || w <= 0 || logits.Length != (long)planes * h * w)
            throw new ArgumentException($"{nameof(FillHolesAndRemoveSprinkles)}: {logits.Length} logits are not {planes} planes of {h}×{w}");
        if (!(maxHoleArea >= 0) || !(maxSprinkleArea >= 0))
            throw new ArgumentOutOfRangeException(nameof(maxHoleArea), $"areas must be non-negative (hole {maxHoleArea}, sprinkle {maxSprinkleArea})");
        if (maxHoleArea == 0 && maxSprinkleArea == 0) return;
        int n = h * w;
        var labels = new int[n];
        var areas = new List<int>();
        var stack = new Stack<int>();
        var hole = new bool[n];
        for (int p = 0; p < planes; p++)
        {
            var plane = logits.Slice(p * n, n);
            Array.Clear(hole);
            if (maxHoleArea > 0)
            {
                Label8(plane, h, w, threshold, foreground: false, labels, areas, stack);
                for (int i = 0; i < n; i++) hole[i] = labels[i] > 0 && areas[labels[i]] <= maxHoleArea;
            }
            if (maxSprinkleArea > 0)
            {
                Label8(plane, h, w, threshold, foreground: true, labels, areas, stack);
                for (int i = 0; i < n; i++)
                    if (labels[i] > 0 && areas[labels[i]] <= maxSprinkleArea) plane[i] = threshold - Margin;
            }
            for (int i = 0; i < n; i++)
                if (hole[i]) plane[i] = threshold + Margin;
        }
    }

    /// <summary>
    /// 8-connected labels of the pixels with logit &gt; threshold (<paramref name="foreground"/>) or ≤ threshold:
    /// labels[i] = 0 outside the set, else 1..count; areas[label] = pixels of that component (areas[0] unused).
    /// </summary>
    public static int Label8(ReadOnlySpan<float> plane, int h, int w, float threshold, bool foreground, int[] labels, List<int> areas, Stack<int>? stack = null)
    {
        stack ??= new Stack<int>();
        areas.Clear();
        areas.Add(0);
        Array.Clear(labels, 0, h * w);
        int count = 0;
        for (int start = 0; start < h * w; start++)
        {
            if (labels[start] != 0 || (plane[start] > threshold) != foreground) continue;
            int label = ++count, area = 0;
            labels[start] = label;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int at = stack.Pop();
                area++;
                int y = at / w, x = at % w;
                for (int dy = -1; dy <= 1; dy++)
                {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) continue;
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w) continue;
                        int q = yy * w + xx;
                        if (labels[q] != 0 || (plane[q] > threshold) != foreground) continue;
                        labels[q] = label;
                        stack.Push(q);
                    }
                }
            }
            areas.Add(area);
        }
        return count;
    }
}
