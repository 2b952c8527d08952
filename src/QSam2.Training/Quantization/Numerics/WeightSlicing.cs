using QSam2.Spec.Quant;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Numerics;

/// <summary>
/// How a layer's weight splits into the slices that share one scale: <c>[N, G, g]</c> with N output channels,
/// G groups per channel and g weights per group, in the kernels' canonical order (a Conv2d weight
/// <c>[Cout, Cin, kh, kw]</c> is <c>[Cout, Cin·kh·kw]</c>; a ConvTranspose2d weight <c>[Cin, Cout, kh, kw]</c> is
/// first brought to <c>[Cout, Cin, kh, kw]</c>). Per channel: G = 1; per group: g = group size; per tensor: G = 1 and
/// one clip value shared by all channels.
/// </summary>
public sealed record WeightSlicing(long[] WeightShape, int OutputAxis, QuantGranularity Granularity, int Channels, int Groups, int GroupSize)
{
    /// <summary>Weights per output channel (the GEMM K).</summary>
    public int K => Groups * GroupSize;

    /// <summary>Clip values / scales this layer has: N·G, or 1 per tensor.</summary>
    public int ClipCount => Granularity == QuantGranularity.PerTensor ? 1 : Channels * Groups;

    /// <summary>Shape of the clip tensor that broadcasts against the slices.</summary>
    public long[] ClipShape => Granularity == QuantGranularity.PerTensor ? new long[] { 1, 1, 1 } : new long[] { Channels, Groups, 1 };

    public static WeightSlicing For(long[] weightShape, int outputAxis, QuantGranularity granularity, int groupSize, string layer)
    {
        ArgumentNullException.ThrowIfNull(weightShape);
        if (weightShape.Length < 2) throw new ArgumentException($"{layer}: weight of rank {weightShape.Length} cannot be quantized per output channel");
        if (outputAxis is not (0 or 1)) throw new ArgumentException($"{layer}: output axis {outputAxis} must be 0 or 1");
        long n = weightShape[outputAxis];
        long total = 1;
        foreach (var d in weightShape) total *= d;
        long k = total / n;
        if (granularity != QuantGranularity.PerGroup) return new WeightSlicing(weightShape, outputAxis, granularity, checked((int)n), 1, checked((int)k));
        if (outputAxis != 0) throw new ArgumentException($"{layer}: per_group needs the output channels on axis 0");
        if (groupSize <= 0 || k % groupSize != 0) throw new ArgumentException($"{layer}: group size {groupSize} does not divide the {k} weights per output channel");
        return new WeightSlicing(weightShape, outputAxis, granularity, checked((int)n), checked((int)(k / groupSize)), groupSize);
    }

    /// <summary>The weight as <c>[N, G, g]</c> (a copy for ConvTranspose2d, a view otherwise).</summary>
    public Tensor ToSlices(Tensor weight)
    {
        var w = OutputAxis == 1 ? weight.transpose(0, 1) : weight;
        return w.reshape(Channels, Groups, GroupSize);
    }

    /// <summary>Inverse of <see cref="ToSlices"/>: back to the official weight shape.</summary>
    public Tensor FromSlices(Tensor slices)
    {
        if (OutputAxis == 0) return slices.reshape(WeightShape);
        var permuted = (long[])WeightShape.Clone();
        (permuted[0], permuted[1]) = (permuted[1], permuted[0]);
        return slices.reshape(permuted).transpose(0, 1);
    }

    /// <summary>The weight values in canonical <c>[N, K]</c> row-major order, on the host.</summary>
    public float[] CanonicalValues(Tensor weight)
    {
        using var scope = NewDisposeScope();
        using var host = ToSlices(weight.detach()).to_type(ScalarType.Float32).cpu().contiguous();
        return host.data<float>().ToArray();
    }

    /// <summary>Reorders canonical <c>[N, K]</c> values back to the official layout (for ConvTranspose2d).</summary>
    public T[] ToOfficialOrder<T>(T[] canonical)
    {
        if (OutputAxis == 0) return canonical;
        // Canonical is [Cout, Cin, rest...]; official is [Cin, Cout, rest...].
        long cin = WeightShape[0], cout = WeightShape[1];
        long rest = canonical.LongLength / (cin * cout);
        var result = new T[canonical.Length];
        for (long o = 0; o < cout; o++)
            for (long i = 0; i < cin; i++)
                Array.Copy(canonical, ((o * cin) + i) * rest, result, ((i * cout) + o) * rest, rest);
        return result;
    }
}
