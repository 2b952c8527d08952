using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Float;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Bench.Kernels;

/// <summary>
/// One prepared GEMM (inputs, packed weights, scratch, output) for a format such as "W4A8", "W4A8g32" (per group
/// of 32) or "F32", at shape M×K×N. Shared by the BenchmarkDotNet class and the CPU-time throughput runner.
/// </summary>
internal sealed class GemmKernelCase
{
    private readonly byte[] _codes = Array.Empty<byte>();
    private readonly float[] _floats = Array.Empty<float>();
    private readonly float[] _packedF32 = Array.Empty<float>();
    private readonly QuantWeightPanels? _panels;
    private readonly ActivationQuantParams _aq;
    private readonly byte[] _scratch = Array.Empty<byte>();
    private readonly float[] _output;

    public string Format { get; }
    public int M { get; }
    public int K { get; }
    public int N { get; }
    public double Macs => (double)M * K * N;

    public GemmKernelCase(string format, int m, int k, int n, int seed = 1)
    {
        Format = format;
        M = m;
        K = k;
        N = n;
        var rng = new Random(seed);
        _output = new float[m * n];
        if (format == "F32")
        {
            _floats = new float[m * k];
            for (int i = 0; i < _floats.Length; i++) _floats[i] = (float)(rng.NextDouble() - 0.5);
            var b = new float[n * k];
            for (int i = 0; i < b.Length; i++) b[i] = (float)(rng.NextDouble() - 0.5);
            _packedF32 = new float[GemmF32.PackedLength(n, k)];
            GemmF32.PackB_FromNK(b, k, n, k, _packedF32);
            return;
        }

        // "W{b}A{a}" or "W{b}A{a}g{G}"
        int wBits = format[1] - '0', aBits = format[3] - '0';
        int group = format.Length > 4 && format[4] == 'g' ? int.Parse(format.AsSpan(5)) : 0;
        _codes = new byte[m * k];
        for (int i = 0; i < _codes.Length; i++) _codes[i] = (byte)rng.Next(0, 1 << aBits);
        var w = new sbyte[n * k];
        int lo = -(1 << (wBits - 1)), hi = (1 << (wBits - 1)) - 1;
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(lo, hi + 1);
        int groups = group == 0 ? 1 : k / group;
        var scales = new float[n * groups];
        for (int i = 0; i < scales.Length; i++) scales[i] = 0.01f + (float)rng.NextDouble() * 0.01f;
        _panels = QuantGemm.PackWeights(QuantizedWeights.Create(w, scales, n, k, wBits, group, format));
        _aq = new ActivationQuantParams(0.02f, 1 << (aBits - 1), aBits);
        _scratch = new byte[QuantGemm.ScratchBytes(_panels, m)];
    }

    /// <summary>Runs the dispatching kernel once; returns one output value so the call cannot be elided.</summary>
    public float Run()
    {
        if (_panels is null)
        {
            GemmF32.Gemm_F32(_floats, K, M, _packedF32, N, K, GemmEpilogue.None, GemmOutput.Float(_output, N));
        }
        else
        {
            QuantGemm.Gemm(_codes, K, M, _aq, _panels, GemmEpilogue.None, GemmOutput.Float(_output, N), _scratch);
        }
        return _output[^1];
    }

    /// <summary>Parses "MxKxN".</summary>
    public static (int M, int K, int N) ParseShape(string shape)
    {
        var p = shape.Split('x');
        return (int.Parse(p[0]), int.Parse(p[1]), int.Parse(p[2]));
    }
}
