using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Float;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Runtime.Tests.Kernels;

public class GemmF32Tests
{
    private static readonly (int M, int N, int K)[] Shapes =
    {
        (1, 1, 1), (1, 5, 7), (3, 17, 7), (6, 16, 16), (7, 33, 40), (13, 31, 129), (2, 48, 3),
    };

    [Fact]
    public void Reference_MatchesDoubleMatmul()
    {
        var rng = new Random(11);
        foreach (var (m, n, k) in Shapes)
        {
            var a = TestData.Floats(rng, m * k);
            var b = TestData.Floats(rng, n * k);
            var bias = TestData.Floats(rng, n);
            var expected = new float[m * n];
            for (int r = 0; r < m; r++)
                for (int c = 0; c < n; c++)
                {
                    double s = bias[c];
                    for (int kk = 0; kk < k; kk++) s += (double)a[r * k + kk] * b[c * k + kk];
                    expected[r * n + c] = (float)s;
                }
            var actual = new float[m * n];
            GemmF32.Gemm_F32_Reference(a, k, m, b, k, n, k, new GemmEpilogue { Bias = bias }, GemmOutput.Float(actual, n));
            TestData.Close(expected, actual, 1e-6, 1e-6, $"f32 reference {m}x{n}x{k}");
        }
    }

    [Fact]
    public void PackedKernels_MatchReferenceBitForBit_WithEveryEpilogue()
    {
        var rng = new Random(12);
        foreach (var (m, n, k) in Shapes)
        {
            int lda = k + 2, ldb = k + 1, ldc = n + 3, ldr = n + 1;
            var a = TestData.Floats(rng, m * lda);
            var b = TestData.Floats(rng, n * ldb);
            var packed = new float[GemmF32.PackedLength(n, k)];
            GemmF32.PackB_FromNK(b, ldb, n, k, packed);
            var bias = TestData.Floats(rng, n);
            var residual = TestData.Floats(rng, m * ldr);
            foreach (bool gelu in new[] { false, true })
            foreach (bool withBias in new[] { false, true })
            {
                var ep = new GemmEpilogue { Bias = withBias ? bias : default, Gelu = gelu, Residual = residual, ResidualStride = ldr };
                var reference = new float[m * ldc];
                GemmF32.Gemm_F32_Reference(a, lda, m, b, ldb, n, k, ep, GemmOutput.Float(reference, ldc));
                var portable = new float[m * ldc];
                GemmF32.Gemm_F32_Portable(a, lda, m, packed, n, k, ep, GemmOutput.Float(portable, ldc));
                TestData.BitEqual(reference, portable, $"f32 portable {m}x{n}x{k}");
                if (KernelIsa.UseAvx2Fma)
                {
                    var avx = new float[m * ldc];
                    GemmF32.Gemm_F32_6x16_Avx2Fma(a, lda, m, packed, n, k, ep, GemmOutput.Float(avx, ldc));
                    TestData.BitEqual(reference, avx, $"f32 avx2 {m}x{n}x{k} gelu={gelu}");
                }
            }
            // Quantized output from a float layer (e.g. LayerNorm → Linear kept in float → next quantized layer).
            var q = new ActivationQuantParams(0.03f, 120, 8);
            var codesRef = new byte[m * n];
            GemmF32.Gemm_F32_Reference(a, lda, m, b, ldb, n, k, GemmEpilogue.None, GemmOutput.Quantized(codesRef, n, q));
            var codes = new byte[m * n];
            GemmF32.Gemm_F32(a, lda, m, packed, n, k, GemmEpilogue.None, GemmOutput.Quantized(codes, n, q));
            Assert.Equal(codesRef, codes);
        }
    }

    [Fact]
    public void PackFromKN_EqualsPackFromNK_OfTheTranspose()
    {
        var rng = new Random(13);
        int n = 21, k = 9;
        var bNK = TestData.Floats(rng, n * k);
        var bKN = new float[k * n];
        for (int c = 0; c < n; c++)
            for (int kk = 0; kk < k; kk++) bKN[kk * n + c] = bNK[c * k + kk];
        var p1 = new float[GemmF32.PackedLength(n, k)];
        var p2 = new float[GemmF32.PackedLength(n, k)];
        GemmF32.PackB_FromNK(bNK, k, n, k, p1);
        GemmF32.PackB_FromKN(bKN, n, k, n, p2);
        Assert.Equal(p1, p2);
        Assert.Equal(32 * k, p1.Length);
    }

    [Fact]
    public void BadArguments_AreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => GemmF32.Gemm_F32(new float[5], 3, 2, new float[16 * 3], 4, 3, GemmEpilogue.None, GemmOutput.Float(new float[8], 4)));
        Assert.Contains("A has 5", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => GemmF32.Gemm_F32(new float[6], 3, 2, new float[10], 4, 3, GemmEpilogue.None, GemmOutput.Float(new float[8], 4)));
        Assert.Contains("packed B", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => GemmF32.Gemm_F32(new float[6], 3, 2, new float[48], 4, 3, new GemmEpilogue { Bias = new float[2] }, GemmOutput.Float(new float[8], 4)));
        Assert.Contains("bias", e3.Message);
    }
}
