namespace QSam2.Runtime.Kernels.Quant;

/// <summary>
/// The weight quantizer of docs/quantization.md §2, as a scalar reference: symmetric, signed codes in
/// <c>[−2^(b−1), 2^(b−1) − 1]</c>, one scale per output channel, per (channel, group of K) or per tensor.
/// <c>scale = a / (2^(b−1) − 1)</c> where a is the clip value (LSC/QAT) or max|w| of the scale's slice;
/// <c>q = clamp(round_half_even(w / scale), −2^(b−1), 2^(b−1) − 1)</c>. An all-zero slice gets scale 1.
/// The TorchSharp fake-quant modules implement the same rule; the packer and kernels consume its codes.
/// </summary>
public static class WeightQuantizer
{
    /// <summary>Largest positive code, 2^(b−1) − 1 (also the scale divisor).</summary>
    public static int QMax(int bits) => (1 << (bits - 1)) - 1;

    /// <summary>Smallest code, −2^(b−1) (reachable only when a clip value is below max|w|).</summary>
    public static int QMin(int bits) => -(1 << (bits - 1));

    /// <summary>
    /// Quantizes row-major weights <c>w[n, k]</c>. <paramref name="groupSize"/> 0 = per output channel; otherwise
    /// per group of that many consecutive k (must divide k). <paramref name="clip"/> optional, one positive value
    /// per scale (same layout as the returned scales). Returns the canonical weights of the layer.
    /// </summary>
    public static QuantizedWeights Quantize(ReadOnlySpan<float> w, int n, int k, int bits, int groupSize = 0,
        ReadOnlySpan<float> clip = default, string layer = "weights")
    {
        CheckBits(bits, layer);
        if (n <= 0 || k <= 0) throw new ArgumentException($"{layer}: weight shape [{n}, {k}] must be positive");
        if (w.Length != n * k) throw new ArgumentException($"{layer}: {w.Length} weights, expected {n}×{k}");
        int g = groupSize == 0 ? k : groupSize;
        if (g <= 0 || k % g != 0) throw new ArgumentException($"{layer}: group size {groupSize} does not divide K = {k}");
        int groups = k / g;
        if (!clip.IsEmpty && clip.Length != n * groups) throw new ArgumentException($"{layer}: {clip.Length} clip values, expected {n * groups}");

        int qmax = QMax(bits), qmin = QMin(bits);
        var codes = new sbyte[n * k];
        var scales = new float[n * groups];
        for (int row = 0; row < n; row++)
        {
            for (int gi = 0; gi < groups; gi++)
            {
                var slice = w.Slice(row * k + gi * g, g);
                float a;
                if (clip.IsEmpty)
                {
                    a = 0f;
                    foreach (float v in slice) a = MathF.Max(a, MathF.Abs(v));
                }
                else
                {
                    a = clip[row * groups + gi];
                    if (!(a > 0f) || !float.IsFinite(a)) throw new ArgumentException($"{layer}: clip value {a} at [{row}, {gi}] must be finite and > 0");
                }
                float scale = a > 0f ? a / qmax : 1f;
                scales[row * groups + gi] = scale;
                for (int i = 0; i < g; i++) codes[row * k + gi * g + i] = QuantizeOne(slice[i], scale, qmin, qmax);
            }
        }
        return QuantizedWeights.Create(codes, scales, n, k, bits, groupSize, layer);
    }

    /// <summary>One weight: <c>clamp(round_half_even(w / scale), qmin, qmax)</c>.</summary>
    public static sbyte QuantizeOne(float w, float scale, int qmin, int qmax)
    {
        float t = MathF.Round(w / scale, MidpointRounding.ToEven);
        t = t < qmin ? qmin : t;
        t = t > qmax ? qmax : t;
        return (sbyte)t;
    }

    internal static void CheckBits(int bits, string layer)
    {
        if (bits != 2 && bits != 3 && bits != 4 && bits != 8) throw new ArgumentException($"{layer}: weight bits {bits} not supported (2, 3, 4 or 8)");
    }
}
