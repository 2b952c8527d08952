using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Float;
using QSam2.Runtime.Kernels.VectorMath;

namespace QSam2.Runtime.Tests.Kernels;

public class ElementwiseTests
{
    // (x, gelu(x)) from Python math.erf: 0.5·x·(1 + erf(x/√2)).
    public static TheoryData<double, double> GeluKnown => new()
    {
        { -10.0, -0.0 }, { -6.0, -5.919525869479969e-09 }, { -4.0, -0.00012668496733247991 }, { -3.0, -0.00404969409489031 },
        { -2.5, -0.015524163314440398 }, { -2.0, -0.04550026389635842 }, { -1.5, -0.10021080190328713 }, { -1.0, -0.15865525393145707 },
        { -0.75, -0.16997051428265114 }, { -0.5, -0.15426876936299344 }, { -0.25, -0.10032341857926907 }, { -0.1, -0.0460172162722971 },
        { -0.001, -0.000499601057786089 }, { 0.0, 0.0 }, { 0.001, 0.000500398942213911 }, { 0.1, 0.053982783727702904 },
        { 0.25, 0.14967658142073093 }, { 0.5, 0.34573123063700656 }, { 0.75, 0.5800294857173488 }, { 1.0, 0.8413447460685429 },
        { 1.5, 1.399789198096713 }, { 2.0, 1.9544997361036416 }, { 2.5, 2.4844758366855597 }, { 3.0, 2.99595030590511 },
        { 4.0, 3.9998733150326675 }, { 6.0, 5.999999994080474 }, { 10.0, 10.0 },
    };

    [Theory]
    [MemberData(nameof(GeluKnown))]
    public void Gelu_MatchesKnownValues(double x, double expected)
    {
        Assert.InRange(GeluF32.Scalar((float)x) - expected, -1e-6, 1e-6);
    }

    [Theory]
    [InlineData(-5.0, -0.9999999999984626)]
    [InlineData(-2.0, -0.9953222650189527)]
    [InlineData(-0.5, -0.5204998778130465)]
    [InlineData(0.0, 0.0)]
    [InlineData(0.3, 0.3286267594591274)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.5, 0.999593047982555)]
    public void Erf_MatchesKnownValues(double x, double expected)
    {
        Assert.InRange(GeluF32.Erf((float)x) - expected, -3e-7, 3e-7);
        Assert.InRange(HighPrecision.Erf(x) - expected, -1e-12, 1e-12); // the test's own oracle
    }

    [Fact]
    public void Gelu_DenseSweep_WithinOneMicro_AndAllVersionsBitIdentical()
    {
        int count = 40_001;
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = -10f + 20f * i / (count - 1);
        var reference = new float[count];
        GeluKernels.Gelu_Reference(x, reference);
        for (int i = 0; i < count; i++)
        {
            double err = Math.Abs(reference[i] - HighPrecision.Gelu(x[i]));
            Assert.True(err <= 1e-6 + 2e-7 * Math.Abs(x[i]), $"gelu({x[i]}) = {reference[i]}, exact {HighPrecision.Gelu(x[i])}");
        }
        var portable = new float[count];
        GeluKernels.Gelu_Portable(x, portable);
        TestData.BitEqual(reference, portable, "gelu portable");
        if (KernelIsa.UseAvx2Fma)
        {
            var avx = new float[count];
            GeluKernels.Gelu_Avx2Fma(x, avx);
            TestData.BitEqual(reference, avx, "gelu avx2");
            GeluKernels.Gelu_Avx2Fma(x.AsSpan(3, 29), avx.AsSpan(3, 29)); // odd length, in place style offsets
        }
    }

    [Fact]
    public void Exp_RelativeErrorAndVersionsAgree()
    {
        var xs = new List<float>();
        for (float v = -87f; v <= 88f; v += 0.0137f) xs.Add(v);
        xs.AddRange(new[] { -1e-7f, 0f, 1e-7f, -0.5f * MathF.Log(2), 0.5f * MathF.Log(2) });
        foreach (float v in xs)
        {
            double exact = Math.Exp(v), got = ExpF32.Scalar(v);
            Assert.True(Math.Abs(got - exact) <= 2.5e-7 * exact, $"exp({v}) = {got}, exact {exact}");
        }
        Assert.Equal(0f, ExpF32.Scalar(-100f));
        Assert.Equal(0f, ExpF32.Scalar(float.NegativeInfinity));
        var arr = xs.ToArray();
        for (int i = 0; i + 8 <= arr.Length; i += 8)
        {
            var v = System.Runtime.Intrinsics.Vector256.Create(arr, i);
            if (KernelIsa.UseAvx2Fma)
            {
                var r = ExpF32.Avx2Fma(v);
                for (int j = 0; j < 8; j++) Assert.Equal(ExpF32.Scalar(arr[i + j]), r[j]);
            }
        }
    }

    [Fact]
    public void Softmax_MatchesDouble_IsStable_AndVersionsAgree()
    {
        var rng = new Random(3);
        foreach (var (rows, cols, ld, scale) in new[] { (1, 1, 1, 1f), (3, 7, 9, 0.125f), (5, 33, 33, 1f), (2, 100, 101, 0.3f), (4, 257, 260, 1f) })
        {
            var x = TestData.Floats(rng, rows * ld, 20f);
            x[0] = 1e4f; // a huge logit must not overflow
            var expected = new float[rows * ld];
            for (int r = 0; r < rows; r++)
            {
                double max = double.NegativeInfinity, sum = 0;
                for (int i = 0; i < cols; i++) max = Math.Max(max, (double)x[r * ld + i] * scale);
                for (int i = 0; i < cols; i++) sum += Math.Exp(x[r * ld + i] * (double)scale - max);
                for (int i = 0; i < cols; i++) expected[r * ld + i] = (float)(Math.Exp(x[r * ld + i] * (double)scale - max) / sum);
            }
            var reference = new float[rows * ld];
            SoftmaxKernels.Softmax_Rows_Reference(x, reference, rows, cols, ld, scale);
            TestData.Close(expected, reference, 2e-6, 1e-7, $"softmax reference {rows}x{cols}");
            var portable = new float[rows * ld];
            SoftmaxKernels.Softmax_Rows_Portable(x, portable, rows, cols, ld, scale);
            TestData.Close(reference, portable, 2e-6, 1e-7, $"softmax portable {rows}x{cols}");
            if (KernelIsa.UseAvx2Fma)
            {
                var avx = (float[])x.Clone();
                SoftmaxKernels.Softmax_Rows_Avx2Fma(avx, avx, rows, cols, ld, scale); // in place
                for (int r = 0; r < rows; r++)
                    for (int i = cols; i < ld; i++) Assert.Equal(x[r * ld + i], avx[r * ld + i]); // padding untouched
                for (int r = 0; r < rows; r++)
                    for (int i = cols; i < ld; i++) avx[r * ld + i] = 0;
                TestData.Close(reference, avx, 2e-6, 1e-7, $"softmax avx2 {rows}x{cols}");
            }
        }
    }

    [Fact]
    public void LayerNorm_MatchesDouble_AndVersionsAgree()
    {
        var rng = new Random(4);
        foreach (var (rows, dim, ld) in new[] { (1, 1, 1), (3, 7, 8), (5, 24, 24), (4, 96, 100), (2, 385, 385) })
        {
            var x = TestData.Floats(rng, rows * ld, 3f);
            for (int i = 0; i < x.Length; i++) x[i] += 5f; // an offset mean, as in real activations
            var gamma = TestData.Floats(rng, dim);
            var beta = TestData.Floats(rng, dim);
            float eps = 1e-6f;
            var expected = new float[rows * ld];
            for (int r = 0; r < rows; r++)
            {
                double mean = 0, v = 0;
                for (int i = 0; i < dim; i++) mean += x[r * ld + i];
                mean /= dim;
                for (int i = 0; i < dim; i++) v += (x[r * ld + i] - mean) * (x[r * ld + i] - mean);
                v /= dim;
                for (int i = 0; i < dim; i++) expected[r * ld + i] = (float)((x[r * ld + i] - mean) / Math.Sqrt(v + eps) * gamma[i] + beta[i]);
            }
            var reference = new float[rows * ld];
            LayerNormKernels.LayerNorm_Reference(x, reference, rows, dim, ld, gamma, beta, eps);
            TestData.Close(expected, reference, 2e-6, 1e-6, $"layernorm reference {rows}x{dim}");
            var portable = new float[rows * ld];
            LayerNormKernels.LayerNorm_Portable(x, portable, rows, dim, ld, gamma, beta, eps);
            TestData.Close(expected, portable, 2e-6, 1e-6, $"layernorm portable {rows}x{dim}");
            if (KernelIsa.UseAvx2Fma)
            {
                var avx = new float[rows * ld];
                LayerNormKernels.LayerNorm_Avx2Fma(x, avx, rows, dim, ld, gamma, beta, eps);
                TestData.Close(expected, avx, 2e-6, 1e-6, $"layernorm avx2 {rows}x{dim}");
            }
        }
    }

    [Fact]
    public void LayerNorm2d_EqualsLayerNormOverChannels()
    {
        var rng = new Random(5);
        foreach (var (channels, pixels) in new[] { (1, 5), (4, 9), (8, 17), (16, 64), (3, 1) })
        {
            var x = TestData.Floats(rng, channels * pixels, 2f);
            var gamma = TestData.Floats(rng, channels);
            var beta = TestData.Floats(rng, channels);
            // Transpose to channels-last and use the last-dim LayerNorm as the oracle.
            var t = new float[channels * pixels];
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < pixels; p++) t[p * channels + c] = x[c * pixels + p];
            var tl = new float[t.Length];
            LayerNormKernels.LayerNorm_Reference(t, tl, pixels, channels, channels, gamma, beta, 1e-6f);
            var expected = new float[x.Length];
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < pixels; p++) expected[c * pixels + p] = tl[p * channels + c];

            var reference = new float[x.Length];
            LayerNorm2dKernels.LayerNorm2d_Reference(x, reference, channels, pixels, gamma, beta, 1e-6f);
            TestData.Close(expected, reference, 1e-6, 1e-6, "ln2d reference");
            var portable = new float[x.Length];
            LayerNorm2dKernels.LayerNorm2d_Portable(x, portable, channels, pixels, gamma, beta, 1e-6f);
            TestData.Close(expected, portable, 2e-6, 1e-6, "ln2d portable");
            if (KernelIsa.UseAvx2Fma)
            {
                var avx = new float[x.Length];
                LayerNorm2dKernels.LayerNorm2d_Avx2Fma(x, avx, channels, pixels, gamma, beta, 1e-6f);
                TestData.Close(expected, avx, 2e-6, 1e-6, "ln2d avx2");
            }
        }
    }
}
