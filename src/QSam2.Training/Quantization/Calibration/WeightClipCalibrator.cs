using QSam2.Runtime.Kernels.Quant;
using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Numerics;

namespace QSam2.Training.Quantization.Calibration;

/// <summary>
/// Post-training clip values for weights, one per scale slice (<see cref="WeightSlicing"/>): MinMax (max|w|), a
/// percentile of |w|, or the MSE-optimal clip found by a grid search over fractions of max|w|. Errors are measured
/// with the kernels' own quantizer (<see cref="WeightQuantizer.QuantizeOne"/>), so the search optimizes exactly what
/// the generated code computes.
/// </summary>
public static class WeightClipCalibrator
{
    /// <summary>Candidate clip fractions of max|w| for the MSE search: 1.00, 0.99, …, 0.20.</summary>
    public static IEnumerable<float> MseGrid() => Enumerable.Range(0, 81).Select(i => 1f - (i / 100f));

    /// <param name="canonical">The weight as canonical <c>[N, K]</c> values (<see cref="WeightSlicing.CanonicalValues"/>).</param>
    /// <param name="percentile">Percentile of |w| for <see cref="ClipMethod.Percentile"/>, in (0, 100].</param>
    public static float[] Compute(float[] canonical, WeightSlicing slicing, int bits, ClipMethod method, double percentile = 99.99)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(slicing);
        if ((long)slicing.Channels * slicing.K != canonical.Length)
            throw new ArgumentException($"{canonical.Length} weights do not fit [{slicing.Channels}, {slicing.K}]");
        if (method == ClipMethod.Percentile && !(percentile > 0 && percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "percentile must be in (0, 100]");
        FakeQuant.CheckWeightBits(bits);
        int sliceLength = slicing.Granularity == QuantGranularity.PerTensor ? canonical.Length : slicing.GroupSize;
        var clip = new float[slicing.ClipCount];
        for (int s = 0; s < clip.Length; s++)
        {
            var slice = new ReadOnlySpan<float>(canonical, s * sliceLength, sliceLength);
            clip[s] = method switch
            {
                ClipMethod.MinMax => AbsMax(slice),
                ClipMethod.Percentile => AbsPercentile(slice, percentile),
                _ => MseClip(slice, bits),
            };
        }
        return clip;
    }

    public static float AbsMax(ReadOnlySpan<float> values)
    {
        float a = 0;
        foreach (var v in values) a = MathF.Max(a, MathF.Abs(v));
        return a;
    }

    /// <summary>The <paramref name="percentile"/>-th percentile of |w| (linear interpolation); max|w| if that is 0.</summary>
    public static float AbsPercentile(ReadOnlySpan<float> values, double percentile)
    {
        var abs = new float[values.Length];
        for (int i = 0; i < abs.Length; i++) abs[i] = MathF.Abs(values[i]);
        Array.Sort(abs);
        float p = Percentile.OfSorted(abs, percentile);
        return p > 0 ? p : abs[^1];
    }

    /// <summary>The clip among <see cref="MseGrid"/>·max|w| with the smallest squared error (ties: the larger clip).</summary>
    public static float MseClip(ReadOnlySpan<float> values, int bits)
    {
        float max = AbsMax(values);
        if (max == 0) return 0;
        float best = max;
        double bestErr = double.PositiveInfinity;
        foreach (var t in MseGrid())
        {
            float a = max * t;
            double err = SquaredError(values, a, bits);
            if (err < bestErr)
            {
                bestErr = err;
                best = a;
            }
        }
        return best;
    }

    /// <summary>Σ (w − ŵ)² for clip value <paramref name="clip"/> (scale 1 when the clip is 0, as in the kernels).</summary>
    public static double SquaredError(ReadOnlySpan<float> values, float clip, int bits)
    {
        int qmax = FakeQuant.WeightQMax(bits), qmin = FakeQuant.WeightQMin(bits);
        float scale = clip > 0 ? clip / qmax : 1f;
        double err = 0;
        foreach (var v in values)
        {
            float d = v - (WeightQuantizer.QuantizeOne(v, scale, qmin, qmax) * scale);
            err += (double)d * d;
        }
        return err;
    }
}
