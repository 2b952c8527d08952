using QSam2.Runtime.Kernels.Quant;
using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Numerics;

namespace QSam2.Training.Quantization.Calibration;

/// <summary>
/// Starting clip factors α for LSC: the α on a grid that minimizes the quantization MSE of the layer's weight (all
/// slices together, clip <c>|μ|+α·σ</c> per slice) or of its calibrated input activation (range <c>μ ± α·σ</c> within
/// the observed extremes). QAT then learns α from there, so training starts from the best post-training clip.
/// </summary>
public static class LscInitializer
{
    /// <summary>Candidate α: 0.5, 0.75, …, 12.</summary>
    public static IEnumerable<double> Grid() => Enumerable.Range(2, 47).Select(i => i * 0.25);

    public static double WeightAlpha(float[] canonical, WeightSlicing slicing, int bits)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(slicing);
        int sliceLength = slicing.Granularity == QuantGranularity.PerTensor ? canonical.Length : slicing.GroupSize;
        int slices = canonical.Length / sliceLength;
        var mean = new double[slices];
        var std = new double[slices];
        for (int s = 0; s < slices; s++)
        {
            var span = new ReadOnlySpan<float>(canonical, s * sliceLength, sliceLength);
            double sum = 0, sumSq = 0;
            foreach (var v in span) { sum += v; sumSq += (double)v * v; }
            mean[s] = sum / sliceLength;
            std[s] = Math.Sqrt(Math.Max(0, (sumSq / sliceLength) - (mean[s] * mean[s])));
        }
        double bestAlpha = 3, best = double.PositiveInfinity;
        foreach (var alpha in Grid())
        {
            double err = 0;
            for (int s = 0; s < slices; s++)
            {
                float clip = (float)(Math.Abs(mean[s]) + (alpha * std[s]));
                err += WeightClipCalibrator.SquaredError(new ReadOnlySpan<float>(canonical, s * sliceLength, sliceLength), clip, bits);
            }
            if (err < best) { best = err; bestAlpha = alpha; }
        }
        return bestAlpha;
    }

    public static double ActivationAlpha(ActivationStatistics stats, int bits)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (stats.Std == 0 || stats.Sample.Length == 0) return 3;
        double bestAlpha = 3, best = double.PositiveInfinity;
        foreach (var alpha in Grid())
        {
            var (lo, hi) = ActivationRange(stats, alpha);
            double err = ActivationRangeCalibrator.MeanSquaredError(stats.Sample, ActivationQuantParams.FromRange(lo, hi, bits));
            if (err < best) { best = err; bestAlpha = alpha; }
        }
        return bestAlpha;
    }

    /// <summary>The LSC range <c>μ ± α·σ</c> kept within the observed extremes (float32, as the quantizer computes it).</summary>
    public static (float Lo, float Hi) ActivationRange(ActivationStatistics stats, double alpha)
    {
        float mean = (float)stats.Mean, half = (float)alpha * (float)stats.Std;
        return (MathF.Max(mean - half, stats.Min), MathF.Min(mean + half, stats.Max));
    }
}
