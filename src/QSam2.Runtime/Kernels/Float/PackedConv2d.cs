namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// A Conv2d layer prepared once at load for <see cref="Conv2dKernels"/>: the official weight
/// <c>[Cout, Cin, kh, kw]</c> read as a [Cout, Cin·kh·kw] matrix and packed as GEMM B (reduction order
/// c, ky, kx — the im2col order), plus bias and geometry. Immutable.
/// </summary>
public sealed class PackedConv2d
{
    /// <summary>Output channels (GEMM N).</summary>
    public int OutChannels { get; }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Kernel height.</summary>
    public int KernelH { get; }

    /// <summary>Kernel width.</summary>
    public int KernelW { get; }

    /// <summary>Stride (both axes).</summary>
    public int Stride { get; }

    /// <summary>Zero padding (both axes).</summary>
    public int Pad { get; }

    /// <summary>GEMM reduction length Cin·kh·kw.</summary>
    public int K => InChannels * KernelH * KernelW;

    internal float[] PackedWeights { get; }
    internal float[] Bias { get; }

    private PackedConv2d(int cout, int cin, int kh, int kw, int stride, int pad, float[] packed, float[] bias)
    {
        OutChannels = cout;
        InChannels = cin;
        KernelH = kh;
        KernelW = kw;
        Stride = stride;
        Pad = pad;
        PackedWeights = packed;
        Bias = bias;
    }

    /// <summary>Packs an official Conv2d weight and bias (empty bias = none).</summary>
    public static PackedConv2d Create(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int cout, int cin, int kh, int kw, int stride, int pad)
    {
        const string name = nameof(PackedConv2d);
        KernelArgs.Positive(name, nameof(cout), cout);
        KernelArgs.Positive(name, nameof(cin), cin);
        KernelArgs.Positive(name, nameof(kh), kh);
        KernelArgs.Positive(name, nameof(kw), kw);
        KernelArgs.Positive(name, nameof(stride), stride);
        KernelArgs.NonNegative(name, nameof(pad), pad);
        int k = cin * kh * kw;
        if (weight.Length != cout * k) throw new ArgumentException($"{name}: weight has {weight.Length} values, expected [{cout}, {cin}, {kh}, {kw}]");
        if (!bias.IsEmpty && bias.Length != cout) throw new ArgumentException($"{name}: bias has {bias.Length} values, expected {cout}");
        var packed = new float[GemmF32.PackedLength(cout, k)];
        GemmF32.PackB_FromNK(weight, k, cout, k, packed);
        return new PackedConv2d(cout, cin, kh, kw, stride, pad, packed, bias.IsEmpty ? new float[cout] : bias.ToArray());
    }

    /// <summary>Output size for an h×w input.</summary>
    public (int H, int W) OutputSize(int h, int w) => ((h + 2 * Pad - KernelH) / Stride + 1, (w + 2 * Pad - KernelW) / Stride + 1);
}
