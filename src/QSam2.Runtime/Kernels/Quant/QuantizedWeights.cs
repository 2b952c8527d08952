namespace QSam2.Runtime.Kernels.Quant;

/// <summary>
/// A quantized layer's weights in canonical form, exactly what a <c>.qsw</c> stores: signed codes, one per
/// sbyte, row-major <c>[N, K]</c> in the official weight layout (a conv weight <c>[Cout, Cin, kh, kw]</c> is
/// <c>[Cout, Cin·kh·kw]</c>), and float32 scales <c>[N]</c> (per channel), <c>[N, K/G]</c> (per group) or
/// <c>[1]</c> (per tensor, expanded here to one per channel). Kernels never read this directly: they use
/// <see cref="QuantWeightPanels"/> made from it once at load.
/// </summary>
public sealed class QuantizedWeights
{
    /// <summary>Weight code width: 2, 3, 4 or 8.</summary>
    public int Bits { get; }

    /// <summary>Output channels (GEMM N).</summary>
    public int N { get; }

    /// <summary>Reduction length (GEMM K).</summary>
    public int K { get; }

    /// <summary>Consecutive k sharing one scale: K for per-channel/per-tensor, G for per-group.</summary>
    public int GroupSize { get; }

    /// <summary>True when the scales are per (channel, group) rather than per channel.</summary>
    public bool PerGroup { get; }

    /// <summary>Groups per output channel, K / GroupSize (1 when not per-group).</summary>
    public int Groups => K / GroupSize;

    /// <summary>Codes <c>[N·K]</c>, row-major.</summary>
    public sbyte[] Codes { get; }

    /// <summary>Scales <c>[N·Groups]</c>, row-major (channel-major).</summary>
    public float[] Scales { get; }

    private QuantizedWeights(int bits, int n, int k, int groupSize, bool perGroup, sbyte[] codes, float[] scales)
    {
        Bits = bits;
        N = n;
        K = k;
        GroupSize = groupSize;
        PerGroup = perGroup;
        Codes = codes;
        Scales = scales;
    }

    /// <summary>
    /// Validates and copies canonical weights. <paramref name="groupSize"/> 0 means per channel (scales [N]) or
    /// per tensor (scales [1]); otherwise scales are [N, K/groupSize]. Errors name <paramref name="layer"/> and
    /// the offending position.
    /// </summary>
    public static QuantizedWeights Create(ReadOnlySpan<sbyte> codes, ReadOnlySpan<float> scales, int n, int k, int bits,
        int groupSize, string layer)
    {
        WeightQuantizer.CheckBits(bits, layer);
        if (n <= 0 || k <= 0) throw new ArgumentException($"{layer}: weight shape [{n}, {k}] must be positive");
        if (k > MaxK) throw new ArgumentException($"{layer}: K = {k} exceeds {MaxK} (int32 accumulators could overflow)");
        if (codes.Length != n * k) throw new ArgumentException($"{layer}: {codes.Length} weight codes, expected {n}×{k} = {n * k}");
        bool perGroup = groupSize != 0;
        int g = perGroup ? groupSize : k;
        if (perGroup && (groupSize <= 0 || k % groupSize != 0)) throw new ArgumentException($"{layer}: group size {groupSize} does not divide K = {k}");
        int groups = k / g;

        int qmin = WeightQuantizer.QMin(bits), qmax = WeightQuantizer.QMax(bits);
        for (int i = 0; i < codes.Length; i++)
        {
            if (codes[i] < qmin || codes[i] > qmax)
            {
                throw new ArgumentException($"{layer}: code {codes[i]} at [{i / k}, {i % k}] outside [{qmin}, {qmax}] for {bits}-bit weights");
            }
        }

        float[] s;
        if (!perGroup && scales.Length == 1)
        {
            s = new float[n];
            Array.Fill(s, scales[0]);
        }
        else if (scales.Length == n * groups)
        {
            s = scales.ToArray();
        }
        else
        {
            throw new ArgumentException($"{layer}: {scales.Length} weight scales, expected {(perGroup ? $"{n}×{groups}" : $"{n} (or 1 per tensor)")}");
        }
        for (int i = 0; i < s.Length; i++)
        {
            if (!float.IsFinite(s[i]) || s[i] <= 0) throw new ArgumentException($"{layer}: scale {s[i]} at [{i / groups}, {i % groups}] must be finite and > 0");
        }
        return new QuantizedWeights(bits, n, k, g, perGroup, codes.ToArray(), s);
    }

    /// <summary>
    /// Largest K for which every accumulator Σ(q_a − zp)·q_w fits int32 (|term| ≤ 255·128, K·32640 &lt; 2^31).
    /// Kernels may form it as P − zp·Σq_w whose parts can wrap; int32 arithmetic is modular, so the result is exact.
    /// </summary>
    public const int MaxK = 65535;
}
