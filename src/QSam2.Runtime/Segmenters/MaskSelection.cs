namespace QSam2.Runtime.Segmenters;

/// <summary>
/// Which decoder mask tokens a prediction returns (MaskDecoder.forward, sam2-architecture.md §7.5): tokens 1..n
/// for multimask output; otherwise token 0, unless dynamic multimask is on and token 0's stability score
/// (|logit &gt; δ| / |logit &gt; −δ|) is below the threshold, in which case the best-IoU token among 1..n.
/// </summary>
public static class MaskSelection
{
    public static int[] Choose(ReadOnlySpan<float> masks, ReadOnlySpan<float> iou, int plane, int tokens, bool multimask, Sam2SegmenterInfo info)
    {
        if (multimask)
        {
            var all = new int[tokens - 1];
            for (int i = 0; i < all.Length; i++) all[i] = i + 1;
            return all;
        }
        if (!info.DynamicMultimaskViaStability) return new[] { 0 };
        if (StabilityScore(masks.Slice(0, plane), info.StabilityDelta) >= info.StabilityThreshold) return new[] { 0 };
        int best = 1;
        for (int t = 2; t < tokens; t++)
        {
            if (iou[t] > iou[best]) best = t;
        }
        return new[] { best };
    }

    /// <summary>Area above +δ over area above −δ (1 when nothing is above −δ).</summary>
    public static float StabilityScore(ReadOnlySpan<float> logits, float delta)
    {
        int inter = 0, union = 0;
        foreach (var v in logits)
        {
            if (v > delta) inter++;
            if (v > -delta) union++;
        }
        return union > 0 ? (float)inter / union : 1f;
    }
}
