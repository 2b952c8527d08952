namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// A ConvTranspose2d(kernel 2, stride 2) layer prepared at load for <see cref="ConvTranspose2x2Kernels"/>.
/// With stride = kernel the taps never overlap: <c>out[o, 2i+a, 2j+b] = bias[o] + Σ_c W[c, o, a, b]·in[c, i, j]</c>,
/// i.e. one GEMM <c>[pixels, Cin] × [Cin, 4·Cout]</c> whose column <c>(2a + b)·Cout + o</c> holds W[·, o, a, b].
/// The official weight <c>[Cin, Cout, 2, 2]</c> is reordered and packed that way; the bias is repeated 4×.
/// </summary>
public sealed class PackedConvTranspose2x2
{
    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    internal float[] PackedWeights { get; }
    internal float[] Bias4 { get; }

    private PackedConvTranspose2x2(int cin, int cout, float[] packed, float[] bias4)
    {
        InChannels = cin;
        OutChannels = cout;
        PackedWeights = packed;
        Bias4 = bias4;
    }

    /// <summary>Packs an official ConvTranspose2d weight <c>[Cin, Cout, 2, 2]</c> and bias <c>[Cout]</c> (empty = none).</summary>
    public static PackedConvTranspose2x2 Create(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int cin, int cout)
    {
        const string name = nameof(PackedConvTranspose2x2);
        KernelArgs.Positive(name, nameof(cin), cin);
        KernelArgs.Positive(name, nameof(cout), cout);
        if (weight.Length != cin * cout * 4) throw new ArgumentException($"{name}: weight has {weight.Length} values, expected [{cin}, {cout}, 2, 2]");
        if (!bias.IsEmpty && bias.Length != cout) throw new ArgumentException($"{name}: bias has {bias.Length} values, expected {cout}");
        int n = 4 * cout;
        var kn = new float[cin * n];
        for (int c = 0; c < cin; c++)
            for (int o = 0; o < cout; o++)
                for (int t = 0; t < 4; t++) kn[c * n + t * cout + o] = weight[(c * cout + o) * 4 + t];
        var packed = new float[GemmF32.PackedLength(n, cin)];
        GemmF32.PackB_FromKN(kn, n, cin, n, packed);
        var bias4 = new float[n];
        if (!bias.IsEmpty)
            for (int t = 0; t < 4; t++) bias.CopyTo(bias4.AsSpan(t * cout, cout));
        return new PackedConvTranspose2x2(cin, cout, packed, bias4);
    }
}
