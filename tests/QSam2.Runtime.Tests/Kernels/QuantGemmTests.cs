using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Runtime.Tests.Kernels;

public class QuantGemmTests
{
    public static TheoryData<int, int, int, int, int> Formats()
    {
        // weight bits, activation bits, group size (0 = per channel), seed, unused
        var d = new TheoryData<int, int, int, int, int>();
        int seed = 1;
        foreach (var (wb, ab) in new[] { (8, 8), (4, 8), (3, 8), (2, 8), (4, 4), (3, 4), (2, 4) })
        {
            d.Add(wb, ab, 0, seed++, 0);
            d.Add(wb, ab, 16, seed++, 0);
            d.Add(wb, ab, 32, seed++, 0);
        }
        return d;
    }

    /// <summary>(m, n, k) with odd shapes: M=1, M=3, K=7, N not a multiple of 16, several blocks of rows.</summary>
    private static readonly (int M, int N, int K)[] PerChannelShapes =
    {
        (1, 1, 1), (1, 5, 7), (3, 17, 7), (4, 16, 16), (5, 33, 40), (3, 31, 129), (13, 48, 100), (70, 20, 24),
    };

    private static readonly (int M, int N, int K)[] PerGroupShapes =
    {
        (1, 5, 32), (3, 17, 64), (5, 33, 96), (13, 16, 128), (6, 40, 32),
    };

    private static (int M, int N, int K)[] Shapes(int group) =>
        group == 0 ? PerChannelShapes : PerGroupShapes.Where(s => s.K % group == 0).ToArray();

    private static QuantizedWeights RandomWeights(Random rng, int n, int k, int bits, int group, bool unitScales)
    {
        int groups = group == 0 ? 1 : k / group;
        var scales = new float[n * groups];
        for (int i = 0; i < scales.Length; i++) scales[i] = unitScales ? 1f : (float)(0.001 + rng.NextDouble() * 0.05);
        return QuantizedWeights.Create(TestData.WeightCodes(rng, n * k, bits), scales, n, k, bits, group, "test");
    }

    private static long ExactDot(byte[] a, int lda, int row, int zp, QuantizedWeights w, int n)
    {
        long s = 0;
        for (int k = 0; k < w.K; k++) s += (long)(a[row * lda + k] - zp) * w.Codes[n * w.K + k];
        return s;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void UnitScales_GiveExactIntegerAccumulators(int wBits, int aBits, int group, int seed, int _)
    {
        var rng = new Random(seed);
        foreach (var (m, n, k) in Shapes(group))
        {
            int lda = k + 3;
            var a = TestData.Codes(rng, m * lda, aBits);
            var aq = new ActivationQuantParams(1f, rng.Next(0, 1 << aBits), aBits);
            var w = RandomWeights(rng, n, k, wBits, group, unitScales: true);
            var expected = new float[m * n];
            for (int r = 0; r < m; r++)
                for (int c = 0; c < n; c++) expected[r * n + c] = ExactDot(a, lda, r, aq.ZeroPoint, w, c);

            var reference = new float[m * n];
            QuantGemm.Gemm_Reference(a, lda, m, aq, w, GemmEpilogue.None, GemmOutput.Float(reference, n));
            TestData.BitEqual(expected, reference, $"reference W{wBits}A{aBits} g{group} {m}x{n}x{k}");

            foreach (var (name, actual) in RunPanels(a, lda, m, aq, w, GemmEpilogue.None, n))
            {
                TestData.BitEqual(expected, actual, $"{name} W{wBits}A{aBits} g{group} {m}x{n}x{k}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void FullEpilogue_PanelsMatchReferenceBitForBit(int wBits, int aBits, int group, int seed, int _)
    {
        var rng = new Random(seed + 100);
        foreach (var (m, n, k) in Shapes(group))
        {
            int lda = k + 1;
            var a = TestData.Codes(rng, m * lda, aBits);
            var aq = new ActivationQuantParams(0.02f, rng.Next(0, 1 << aBits), aBits);
            var w = RandomWeights(rng, n, k, wBits, group, unitScales: false);
            var bias = TestData.Floats(rng, n, 0.5f);
            int ldr = n + 2;
            var residual = TestData.Floats(rng, m * ldr);
            foreach (bool gelu in new[] { false, true })
            {
                var ep = new GemmEpilogue { Bias = bias, Gelu = gelu, Residual = residual, ResidualStride = ldr };
                var reference = new float[m * n];
                QuantGemm.Gemm_Reference(a, lda, m, aq, w, ep, GemmOutput.Float(reference, n));
                foreach (var (name, actual) in RunPanels(a, lda, m, aq, w, ep, n))
                {
                    TestData.BitEqual(reference, actual, $"{name} W{wBits}A{aBits} g{group} gelu={gelu} {m}x{n}x{k}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void QuantizedOutput_CodesMatchReference(int wBits, int aBits, int group, int seed, int _)
    {
        var rng = new Random(seed + 200);
        foreach (var (m, n, k) in Shapes(group))
        {
            var a = TestData.Codes(rng, m * k, aBits);
            var aq = new ActivationQuantParams(0.05f, rng.Next(0, 1 << aBits), aBits);
            var w = RandomWeights(rng, n, k, wBits, group, unitScales: false);
            var next = new ActivationQuantParams(0.01f, 100, 8);
            var ep = new GemmEpilogue { Bias = TestData.Floats(rng, n, 0.3f), Gelu = true };
            var expected = new byte[m * n];
            QuantGemm.Gemm_Reference(a, k, m, aq, w, ep, GemmOutput.Quantized(expected, n, next));
            // The reference codes are the float reference quantized element by element.
            var floats = new float[m * n];
            QuantGemm.Gemm_Reference(a, k, m, aq, w, ep, GemmOutput.Float(floats, n));
            for (int i = 0; i < floats.Length; i++) Assert.Equal(next.Quantize(floats[i]), expected[i]);

            var panels = QuantGemm.PackWeights(w);
            var scratch = new byte[QuantGemm.ScratchBytes(panels, m)];
            var portable = new byte[m * n];
            QuantGemm.Gemm_Portable(a, k, m, aq, panels, ep, GemmOutput.Quantized(portable, n, next), scratch);
            Assert.Equal(expected, portable);
            if (KernelIsa.UseAvx2Fma)
            {
                var avx = new byte[m * n];
                QuantGemm.Gemm_4x16_Avx2(a, k, m, aq, panels, ep, GemmOutput.Quantized(avx, n, next), scratch);
                Assert.Equal(expected, avx);
            }
        }
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(4, 8)]
    [InlineData(3, 8)]
    [InlineData(2, 8)]
    public void ExtremeCodes_DoNotSaturate(int wBits, int aBits)
    {
        // All activations at 255 and all weights at the most negative code: the largest pair sums the
        // int16 chain can see. Zero point 0 so the raw products reach the accumulators unchanged.
        int m = 5, n = 19, k = 512;
        var a = Enumerable.Repeat((byte)255, m * k).ToArray();
        var codes = Enumerable.Repeat((sbyte)WeightQuantizer.QMin(wBits), n * k).ToArray();
        for (int i = 0; i < k; i += 3) codes[i] = (sbyte)WeightQuantizer.QMax(wBits); // first channel mixes signs
        var w = QuantizedWeights.Create(codes, Enumerable.Repeat(1f, n).ToArray(), n, k, wBits, 0, "extreme");
        var aq = new ActivationQuantParams(1f, 0, aBits);
        var expected = new float[m * n];
        for (int r = 0; r < m; r++)
            for (int c = 0; c < n; c++) expected[r * n + c] = ExactDot(a, k, r, 0, w, c);
        foreach (var (name, actual) in RunPanels(a, k, m, aq, w, GemmEpilogue.None, n))
        {
            TestData.BitEqual(expected, actual, $"{name} W{wBits} extreme");
        }
    }

    [Theory]
    [InlineData(8, 8, 0)]
    [InlineData(4, 8, 32)]
    [InlineData(2, 4, 0)]
    [InlineData(3, 8, 16)]
    public void Reference_MatchesDequantizeThenFloatMatmul(int wBits, int aBits, int group)
    {
        var rng = new Random(wBits * 10 + aBits + group);
        int m = 7, n = 21, k = 64;
        var a = TestData.Codes(rng, m * k, aBits);
        var aq = new ActivationQuantParams(0.037f, rng.Next(0, 1 << aBits), aBits);
        var w = RandomWeights(rng, n, k, wBits, group, unitScales: false);
        var bias = TestData.Floats(rng, n);
        var actual = new float[m * n];
        QuantGemm.Gemm_Reference(a, k, m, aq, w, new GemmEpilogue { Bias = bias }, GemmOutput.Float(actual, n));

        var expected = new float[m * n];
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < n; c++)
            {
                double s = bias[c];
                for (int kk = 0; kk < k; kk++)
                {
                    double x = aq.Dequantize(a[r * k + kk]);
                    double wv = w.Codes[c * k + kk] * (double)w.Scales[c * w.Groups + kk / w.GroupSize];
                    s += x * wv;
                }
                expected[r * n + c] = (float)s;
            }
        }
        TestData.Close(expected, actual, 1e-5, 1e-6, $"dequantized matmul W{wBits}A{aBits} g{group}");
    }

    [Fact]
    public void ResidualMayBeTheOutputBuffer()
    {
        // x = x + proj(a): the residual and the output are the same span (same stride).
        var rng = new Random(77);
        int m = 9, n = 35, k = 48;
        var a = TestData.Codes(rng, m * k, 8);
        var aq = new ActivationQuantParams(0.01f, 90, 8);
        var panels = QuantGemm.PackWeights(RandomWeights(rng, n, k, 4, 16, unitScales: false));
        var x = TestData.Floats(rng, m * n);
        var expected = new float[m * n];
        var scratch = new byte[QuantGemm.ScratchBytes(panels, m)];
        QuantGemm.Gemm(a, k, m, aq, panels, new GemmEpilogue { Residual = x, ResidualStride = n }, GemmOutput.Float(expected, n), scratch);
        var inPlace = (float[])x.Clone();
        QuantGemm.Gemm(a, k, m, aq, panels, new GemmEpilogue { Residual = inPlace, ResidualStride = n }, GemmOutput.Float(inPlace, n), scratch);
        TestData.BitEqual(expected, inPlace, "in-place residual");
    }

    [Fact]
    public void NamedVariants_CheckTheFormat()
    {
        var rng = new Random(5);
        var w4 = RandomWeights(rng, 8, 32, 4, 0, unitScales: false);
        var panels = QuantGemm.PackWeights_W4(w4);
        var a = TestData.Codes(rng, 2 * 32, 8);
        var aq = new ActivationQuantParams(0.1f, 3, 8);
        var c = new float[2 * 8];
        var scratch = new byte[QuantGemm.ScratchBytes(panels, 2)];
        QuantGemm.Gemm_W4A8_PerChannel(a, 32, 2, aq, panels, GemmEpilogue.None, GemmOutput.Float(c, 8), scratch);

        var e1 = Assert.Throws<ArgumentException>(() => QuantGemm.Gemm_W2A8_PerChannel(a, 32, 2, aq, panels, GemmEpilogue.None, GemmOutput.Float(c, 8), scratch));
        Assert.Contains("4-bit", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => QuantGemm.Gemm_W4A8_PerGroup(a, 32, 2, aq, panels, GemmEpilogue.None, GemmOutput.Float(c, 8), scratch));
        Assert.Contains("per-channel", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => QuantGemm.Gemm_W4A4_PerChannel(a, 32, 2, aq, panels, GemmEpilogue.None, GemmOutput.Float(c, 8), scratch));
        Assert.Contains("8-bit", e3.Message);
        Assert.Throws<ArgumentException>(() => QuantGemm.PackWeights_W8(w4));
        var e4 = Assert.Throws<ArgumentException>(() => QuantGemm.Gemm(a, 32, 2, aq, panels, GemmEpilogue.None, GemmOutput.Float(c, 8), new byte[10]));
        Assert.Contains("scratch", e4.Message);
        var e5 = Assert.Throws<ArgumentException>(() => QuantGemm.Gemm(a, 32, 3, aq, panels, GemmEpilogue.None, GemmOutput.Float(c, 8), scratch));
        Assert.Contains("A has", e5.Message);
    }

    [Fact]
    public void BadCanonicalWeights_NameLayerAndPosition()
    {
        var codes = new sbyte[2 * 4];
        codes[6] = 9;
        var e = Assert.Throws<ArgumentException>(() => QuantizedWeights.Create(codes, new float[] { 1, 1 }, 2, 4, 4, 0, "blocks.0.mlp"));
        Assert.Contains("blocks.0.mlp", e.Message);
        Assert.Contains("[1, 2]", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => QuantizedWeights.Create(new sbyte[8], new float[] { 1, -1 }, 2, 4, 4, 0, "x"));
        Assert.Contains("scale", e2.Message);
        Assert.Throws<ArgumentException>(() => QuantizedWeights.Create(new sbyte[8], new float[] { 1 }, 2, 4, 4, 3, "x"));
        Assert.Throws<ArgumentException>(() => QuantizedWeights.Create(new sbyte[8], new float[] { 1 }, 2, 4, 5, 0, "x"));
        // per-tensor: one scale expands to every channel
        var t = QuantizedWeights.Create(new sbyte[8], new float[] { 0.5f }, 2, 4, 4, 0, "x");
        Assert.Equal(new[] { 0.5f, 0.5f }, t.Scales);
    }

    /// <summary>Runs the portable and (when supported) AVX2 panel kernels with float output.</summary>
    private static IEnumerable<(string Name, float[] Output)> RunPanels(byte[] a, int lda, int m, ActivationQuantParams aq,
        QuantizedWeights w, GemmEpilogue ep, int n)
    {
        var panels = QuantGemm.PackWeights(w);
        var scratch = new byte[QuantGemm.ScratchBytes(panels, m)];
        var results = new List<(string, float[])>();
        var portable = new float[m * n];
        QuantGemm.Gemm_Portable(a, lda, m, aq, panels, ep, GemmOutput.Float(portable, n), scratch);
        results.Add(("portable", portable));
        if (KernelIsa.UseAvx2Fma)
        {
            var avx = new float[m * n];
            QuantGemm.Gemm_4x16_Avx2(a, lda, m, aq, panels, ep, GemmOutput.Float(avx, n), scratch);
            results.Add(("avx2", avx));
        }
        return results;
    }
}
