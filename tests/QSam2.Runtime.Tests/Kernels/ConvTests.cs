using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Float;

namespace QSam2.Runtime.Tests.Kernels;

public class ConvTests
{
    [Theory]
    [InlineData(3, 13, 17, 5, 7, 7, 4, 3, ConvInputLayout.Planar)]   // patch-embed geometry on an odd image
    [InlineData(1, 8, 8, 4, 2, 2, 2, 0, ConvInputLayout.Planar)]     // mask downsampler conv
    [InlineData(4, 9, 6, 17, 3, 3, 2, 1, ConvInputLayout.ChannelsLast)]
    [InlineData(2, 5, 5, 3, 1, 1, 1, 0, ConvInputLayout.ChannelsLast)]
    public void Im2colKernels_MatchDirectConvolution(int cin, int h, int w, int cout, int kh, int kw, int stride, int pad, ConvInputLayout layout)
    {
        var rng = new Random(cin * 100 + h);
        var input = TestData.Floats(rng, cin * h * w);
        var weight = TestData.Floats(rng, cout * cin * kh * kw);
        var bias = TestData.Floats(rng, cout);
        var conv = PackedConv2d.Create(weight, bias, cout, cin, kh, kw, stride, pad);
        var (ho, wo) = conv.OutputSize(h, w);

        // Independent double-precision oracle.
        var expected = new float[ho * wo * cout];
        for (int oy = 0; oy < ho; oy++)
            for (int ox = 0; ox < wo; ox++)
                for (int o = 0; o < cout; o++)
                {
                    double s = bias[o];
                    for (int c = 0; c < cin; c++)
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                int at = layout == ConvInputLayout.Planar ? (c * h + iy) * w + ix : (iy * w + ix) * cin + c;
                                s += (double)input[at] * weight[((o * cin + c) * kh + ky) * kw + kx];
                            }
                    expected[(oy * wo + ox) * cout + o] = (float)s;
                }

        var reference = new float[expected.Length];
        Conv2dKernels.Conv2d_Reference(input, layout, h, w, weight, bias, cout, cin, kh, kw, stride, pad, reference);
        TestData.Close(expected, reference, 1e-6, 1e-6, "conv reference");
        var scratch = new float[Conv2dKernels.ScratchFloats(conv, h, w)];
        var portable = new float[expected.Length];
        Conv2dKernels.Conv2d_Im2col_Portable(input, layout, h, w, conv, portable, scratch);
        TestData.BitEqual(reference, portable, "conv portable");
        if (KernelIsa.UseAvx2Fma)
        {
            var avx = new float[expected.Length];
            Conv2dKernels.Conv2d_Im2col_Avx2Fma(input, layout, h, w, conv, avx, scratch);
            TestData.BitEqual(reference, avx, "conv avx2");
        }
    }

    [Fact]
    public void ConvTranspose2x2_HandComputed()
    {
        // 1×1 input with Cin = 2 → 2×2 output, Cout = 1: out[a, b] = bias + Σ_c W[c, 0, a, b]·in[c].
        var input = new[] { 2f, -1f };
        var weight = new[] { 1f, 2f, 3f, 4f, 10f, 20f, 30f, 40f }; // [Cin=2, Cout=1, 2, 2]
        var bias = new[] { 0.5f };
        var expected = new[] { 2 * 1 - 10 + 0.5f, 2 * 2 - 20 + 0.5f, 2 * 3 - 30 + 0.5f, 2 * 4 - 40 + 0.5f };
        var reference = new float[4];
        ConvTranspose2x2Kernels.ConvTranspose2x2_Reference(input, 1, 1, weight, bias, 2, 1, reference);
        Assert.Equal(expected, reference);
        var conv = PackedConvTranspose2x2.Create(weight, bias, 2, 1);
        var fast = new float[4];
        ConvTranspose2x2Kernels.ConvTranspose2x2(input, 1, 1, conv, fast, new float[ConvTranspose2x2Kernels.ScratchFloats(conv, 1)]);
        Assert.Equal(expected, fast);
    }

    [Theory]
    [InlineData(3, 5, 7, 9)]
    [InlineData(2, 4, 16, 8)]
    [InlineData(1, 1, 1, 1)]
    public void ConvTranspose2x2_KernelsMatchReference(int h, int w, int cin, int cout)
    {
        var rng = new Random(h * 7 + cin);
        var input = TestData.Floats(rng, h * w * cin);
        var weight = TestData.Floats(rng, cin * cout * 4);
        var bias = TestData.Floats(rng, cout);
        var reference = new float[4 * h * w * cout];
        ConvTranspose2x2Kernels.ConvTranspose2x2_Reference(input, h, w, weight, bias, cin, cout, reference);
        var conv = PackedConvTranspose2x2.Create(weight, bias, cin, cout);
        var scratch = new float[ConvTranspose2x2Kernels.ScratchFloats(conv, w)];
        var portable = new float[reference.Length];
        ConvTranspose2x2Kernels.ConvTranspose2x2_Portable(input, h, w, conv, portable, scratch);
        TestData.BitEqual(reference, portable, "convT portable");
        if (KernelIsa.UseAvx2Fma)
        {
            var avx = new float[reference.Length];
            ConvTranspose2x2Kernels.ConvTranspose2x2_Avx2Fma(input, h, w, conv, avx, scratch);
            TestData.BitEqual(reference, avx, "convT avx2");
        }
    }

    [Fact]
    public void Conv1x1_IsAGemmOverPixels()
    {
        var rng = new Random(21);
        int pixels = 11, cin = 10, cout = 18;
        var x = TestData.Floats(rng, pixels * cin);
        var w = TestData.Floats(rng, cout * cin);
        var bias = TestData.Floats(rng, cout);
        var expected = new float[pixels * cout];
        for (int p = 0; p < pixels; p++)
            for (int o = 0; o < cout; o++)
            {
                double s = bias[o];
                for (int c = 0; c < cin; c++) s += (double)x[p * cin + c] * w[o * cin + c];
                expected[p * cout + o] = (float)s;
            }
        var packed = new float[GemmF32.PackedLength(cout, cin)];
        GemmF32.PackB_FromNK(w, cin, cout, cin, packed);
        var ep = new GemmEpilogue { Bias = bias };
        var reference = new float[pixels * cout];
        Conv1x1Kernels.Conv1x1_Reference(x, pixels, cin, w, cout, ep, reference, cout);
        TestData.Close(expected, reference, 1e-6, 1e-6, "conv1x1 reference");
        var fast = new float[pixels * cout];
        Conv1x1Kernels.Conv1x1(x, pixels, cin, packed, cout, ep, fast, cout);
        TestData.BitEqual(reference, fast, "conv1x1");
        var portable = new float[pixels * cout];
        Conv1x1Kernels.Conv1x1_Portable(x, pixels, cin, packed, cout, ep, portable, cout);
        TestData.BitEqual(reference, portable, "conv1x1 portable");
    }

    [Fact]
    public void BadWeightShape_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => PackedConv2d.Create(new float[10], default, 2, 3, 7, 7, 4, 3));
        Assert.Contains("[2, 3, 7, 7]", e.Message);
        var conv = PackedConv2d.Create(new float[2 * 3 * 49], default, 2, 3, 7, 7, 2, 0);
        Assert.Throws<ArgumentException>(() => Conv2dKernels.PatchEmbed_7x7s4p3(new float[3 * 64], 8, 8, conv, new float[100], new float[1000]));
    }
}
