namespace QSam2.Training.Quantization.Calibration;

/// <summary>Percentiles of sorted samples, linear interpolation between order statistics (NumPy's default).</summary>
public static class Percentile
{
    public static float OfSorted(float[] sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0) throw new ArgumentException("no values", nameof(sorted));
        double pos = Math.Clamp(percentile, 0, 100) / 100.0 * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        double frac = pos - lo;
        return (float)(sorted[lo] + ((sorted[hi] - (double)sorted[lo]) * frac));
    }
}
