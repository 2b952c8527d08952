using QSam2.Runtime.Kernels.Quant;
using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Numerics;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Quantization;

public class CalibratorTests
{
    private static WeightSlicing Slicing(int n, int k, QuantGranularity g = QuantGranularity.PerChannel, int group = 0) =>
        WeightSlicing.For(new long[] { n, k }, 0, g, group, "w");

    [Fact]
    public void WeightMinMax_IsAbsMaxPerSlice()
    {
        var w = new float[] { 1, -3, 2, 0.5f, /* row 1 */ 0, 0, 0, 0 };
        Assert.Equal(new[] { 3f, 0f }, WeightClipCalibrator.Compute(w, Slicing(2, 4), 4, ClipMethod.MinMax));
        Assert.Equal(new[] { 3f }, WeightClipCalibrator.Compute(w, Slicing(2, 4, QuantGranularity.PerTensor), 4, ClipMethod.MinMax));
        Assert.Equal(new[] { 3f, 2f, 0f, 0f }, WeightClipCalibrator.Compute(w, Slicing(2, 4, QuantGranularity.PerGroup, 2), 4, ClipMethod.MinMax));
    }

    [Fact]
    public void WeightPercentile_InterpolatesLikeNumPy()
    {
        // |w| sorted 0..99 → the 90th percentile (linear) is 89.1.
        var w = Enumerable.Range(0, 100).Select(i => (float)(i % 2 == 0 ? i : -i)).ToArray();
        Assert.Equal(89.1f, WeightClipCalibrator.Compute(w, Slicing(1, 100), 4, ClipMethod.Percentile, 90)[0], 4);
    }

    [Fact]
    public void WeightMse_ClipsAnOutlier_AndNeverLosesToMinMax()
    {
        // Heavy tails (Laplace): max-abs scaling wastes the grid on a few large weights.
        var rng = new Random(1);
        var w = Enumerable.Range(0, 4096).Select(_ =>
        {
            double u = rng.NextDouble() - 0.5;
            return (float)(-Math.Sign(u) * Math.Log(1 - (2 * Math.Abs(u))));
        }).ToArray();
        float max = WeightClipCalibrator.AbsMax(w);
        float mse = WeightClipCalibrator.MseClip(w, 3);
        Assert.True(mse < 0.7f * max, $"MSE clip {mse} vs max {max}");
        Assert.True(WeightClipCalibrator.SquaredError(w, mse, 3) < 0.8 * WeightClipCalibrator.SquaredError(w, max, 3));
        foreach (var bits in new[] { 2, 4, 8 })
            Assert.True(WeightClipCalibrator.SquaredError(w, WeightClipCalibrator.MseClip(w, bits), bits) <= WeightClipCalibrator.SquaredError(w, WeightClipCalibrator.AbsMax(w), bits));
    }

    [Fact]
    public void ActivationRanges_MinMaxPercentileMse()
    {
        var rng = new Random(2);
        var values = Enumerable.Range(0, 20000).Select(_ => (float)(rng.NextDouble() * 2)).ToArray();
        values[5] = 40f; // a rare spike
        var stats = ActivationStatistics.Of(values);
        Assert.Equal((stats.Min, 40f), ActivationRangeCalibrator.Range(stats, 8, ClipMethod.MinMax));
        var (plo, phi) = ActivationRangeCalibrator.Range(stats, 8, ClipMethod.Percentile, 99);
        Assert.InRange(phi, 1.9f, 2.0f);
        Assert.InRange(plo, 0f, 0.05f);
        var (mlo, mhi) = ActivationRangeCalibrator.Range(stats, 4, ClipMethod.Mse);
        Assert.True(mhi < 40f);
        double Err(float lo, float hi) => ActivationRangeCalibrator.MeanSquaredError(values, ActivationQuantParams.FromRange(lo, hi, 4));
        Assert.True(Err(mlo, mhi) < Err(stats.Min, stats.Max));
    }

    [Fact]
    public void Observer_HasExactMomentsAndExtremes_AndABoundedSample()
    {
        var obs = new ActivationObserver(seed: 1, capacity: 1000, perBatch: 300);
        var all = new List<float>();
        var rng = new Random(4);
        for (int b = 0; b < 5; b++)
        {
            var v = Enumerable.Range(0, 2000).Select(_ => (float)(rng.NextDouble() * 10 - 3)).ToArray();
            all.AddRange(v);
            obs.Observe(tensor(v).reshape(2, 1000));
        }
        var s = obs.Finish("x");
        Assert.Equal(10000, s.Count);
        Assert.Equal(all.Min(), s.Min);
        Assert.Equal(all.Max(), s.Max);
        Assert.Equal(all.Average(v => (double)v), s.Mean, 4);
        double mean = all.Average(v => (double)v);
        Assert.Equal(Math.Sqrt(all.Average(v => (v - mean) * (v - mean))), s.Std, 3);
        Assert.Equal(1000, s.Sample.Length);
        Assert.All(s.Sample, v => Assert.Contains(v, all));
        Assert.Throws<InvalidOperationException>(() => new ActivationObserver(0).Finish("never-ran"));
    }

    [Fact]
    public void LscInitialAlpha_MinimizesTheGridError()
    {
        var rng = new Random(5);
        var w = Enumerable.Range(0, 512).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var slicing = Slicing(4, 128);
        double alpha = LscInitializer.WeightAlpha(w, slicing, 4);
        Assert.Contains(alpha, LscInitializer.Grid());
        // Uniform weights: σ = 1/√3 ≈ 0.577, max ≈ 1, so the best clip is near the max (α ≈ 1.5–1.75) at 4 bits.
        Assert.InRange(alpha, 1.25, 2.0);
    }
}
