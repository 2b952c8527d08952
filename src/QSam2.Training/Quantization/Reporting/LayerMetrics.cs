using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Training.Quantization.Reporting;

/// <summary>Signal-to-quantization-noise ratios, <c>10·log10(Σx² / Σ(x − x̂)²)</c> in dB (∞ for an exact match).</summary>
public static class LayerMetrics
{
    /// <param name="canonical">The float weight in canonical order.</param>
    public static double WeightSqnrDb(float[] canonical, QuantizedWeights q)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(q);
        double signal = 0, noise = 0;
        for (int n = 0; n < q.N; n++)
        {
            for (int k = 0; k < q.K; k++)
            {
                int i = (n * q.K) + k;
                float w = canonical[i];
                float d = w - (q.Codes[i] * q.Scales[(n * q.Groups) + (k / q.GroupSize)]);
                signal += (double)w * w;
                noise += (double)d * d;
            }
        }
        return Db(signal, noise);
    }

    public static double ActivationSqnrDb(float[] values, ActivationQuantParams p)
    {
        ArgumentNullException.ThrowIfNull(values);
        double signal = 0, noise = 0;
        foreach (var v in values)
        {
            float d = v - p.Dequantize(p.Quantize(v));
            signal += (double)v * v;
            noise += (double)d * d;
        }
        return Db(signal, noise);
    }

    public static double Db(double signal, double noise) => noise == 0 ? double.PositiveInfinity : signal == 0 ? double.NegativeInfinity : 10 * Math.Log10(signal / noise);
}
