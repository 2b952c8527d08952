using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Training.Quantization.Calibration;

/// <summary>
/// Post-training clip range of an activation from its <see cref="ActivationStatistics"/>: MinMax (observed extremes),
/// percentiles at both ends, or an MSE search (shrinking both ends together, then each end alone) on the sample,
/// scored with the kernels' quantizer (<see cref="ActivationQuantParams"/>).
/// </summary>
public static class ActivationRangeCalibrator
{
    /// <summary>Fractions of the observed range tried by the MSE search: 1.00, 0.98, …, 0.10.</summary>
    public static IEnumerable<float> MseGrid() => Enumerable.Range(0, 46).Select(i => 1f - (i / 50f));

    public static (float Lo, float Hi) Range(ActivationStatistics stats, int bits, ClipMethod method, double percentile = 99.99)
    {
        ArgumentNullException.ThrowIfNull(stats);
        switch (method)
        {
            case ClipMethod.MinMax:
                return (stats.Min, stats.Max);
            case ClipMethod.Percentile:
            {
                if (!(percentile > 0 && percentile <= 100)) throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "percentile must be in (0, 100]");
                var sorted = Sorted(stats);
                float lo = MathF.Max(stats.Min, Percentile.OfSorted(sorted, 100 - percentile));
                float hi = MathF.Min(stats.Max, Percentile.OfSorted(sorted, percentile));
                return lo <= hi ? (lo, hi) : (stats.Min, stats.Max);
            }
            default:
                return MseRange(stats, bits);
        }
    }

    /// <summary>Mean squared error of quantizing <paramref name="values"/> with <paramref name="p"/>.</summary>
    public static double MeanSquaredError(float[] values, ActivationQuantParams p)
    {
        double err = 0;
        foreach (var v in values)
        {
            float d = v - p.Dequantize(p.Quantize(v));
            err += (double)d * d;
        }
        return values.Length == 0 ? 0 : err / values.Length;
    }

    private static (float Lo, float Hi) MseRange(ActivationStatistics stats, int bits)
    {
        float lo0 = MathF.Min(stats.Min, 0), hi0 = MathF.Max(stats.Max, 0);
        var sample = stats.Sample;
        if (sample.Length == 0 || lo0 == hi0) return (stats.Min, stats.Max);
        double Error(float lo, float hi) => MeanSquaredError(sample, ActivationQuantParams.FromRange(lo, hi, bits));

        float bestLo = lo0, bestHi = hi0;
        double best = Error(lo0, hi0);
        foreach (var t in MseGrid())
        {
            double e = Error(lo0 * t, hi0 * t);
            if (e < best) { best = e; bestLo = lo0 * t; bestHi = hi0 * t; }
        }
        // Asymmetric tails (post-GELU, attention outputs) want different cuts at each end.
        float fixedHi = bestHi;
        foreach (var t in MseGrid())
        {
            double e = Error(lo0 * t, fixedHi);
            if (e < best) { best = e; bestLo = lo0 * t; }
        }
        float fixedLo = bestLo;
        foreach (var t in MseGrid())
        {
            double e = Error(fixedLo, hi0 * t);
            if (e < best) { best = e; bestHi = hi0 * t; }
        }
        return (bestLo, bestHi);
    }

    private static float[] Sorted(ActivationStatistics stats)
    {
        var s = (float[])stats.Sample.Clone();
        if (s.Length == 0) return new[] { stats.Min, stats.Max };
        Array.Sort(s);
        return s;
    }
}
