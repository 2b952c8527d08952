using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Resize;

namespace QSam2.Runtime.Tests.Kernels;

public class ResizeTests
{
    private static float[] RunAll(float[] x, int c, int inH, int inW, int outH, int outW)
    {
        var reference = new float[c * outH * outW];
        BilinearResize.Resize_Reference(x, c, inH, inW, reference, outH, outW);
        var scratch = new byte[BilinearResize.ScratchBytes(outW)];
        var portable = new float[reference.Length];
        BilinearResize.Resize_Portable(x, c, inH, inW, portable, outH, outW, scratch);
        TestData.BitEqual(reference, portable, $"bilinear portable {inH}x{inW}->{outH}x{outW}");
        if (KernelIsa.UseAvx2Fma)
        {
            var avx = new float[reference.Length];
            BilinearResize.Resize_Avx2(x, c, inH, inW, avx, outH, outW, scratch);
            TestData.BitEqual(reference, avx, $"bilinear avx2 {inH}x{inW}->{outH}x{outW}");
        }
        return reference;
    }

    [Fact]
    public void Bilinear_Upsample2x_HandComputed()
    {
        // PyTorch: F.interpolate([[0,1],[2,3]], size=(4,4), mode="bilinear", align_corners=False)
        var y = RunAll(new[] { 0f, 1f, 2f, 3f }, 1, 2, 2, 4, 4);
        Assert.Equal(new[]
        {
            0f, 0.25f, 0.75f, 1f,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2f, 2.25f, 2.75f, 3f,
        }, y);
    }

    [Fact]
    public void Bilinear_Downsample2x_AveragesPairs_NoAntialias()
    {
        // 1×8 → 1×4: s = 2·(d + 0.5) − 0.5 = 2d + 0.5, the midpoint of pixels 2d and 2d+1.
        var y = RunAll(new[] { 0f, 2f, 4f, 8f, 16f, 0f, 1f, 1f }, 1, 1, 8, 1, 4);
        Assert.Equal(new[] { 1f, 6f, 8f, 1f }, y);
    }

    [Fact]
    public void Bilinear_NonIntegerScale_HandComputed()
    {
        // 1×3 → 1×5: scale 0.6, s = 0.6·(d + 0.5) − 0.5 = {−0.2→0, 0.4, 1.0, 1.6, 2.2}; i1 clamps at the edge.
        var x = new[] { 10f, 20f, 40f };
        var y = RunAll(x, 1, 1, 3, 1, 5);
        float s1 = 0.6f * 1.5f - 0.5f, s3 = 0.6f * 3.5f - 0.5f;
        Assert.Equal(10f, y[0]);
        Assert.Equal((1 - s1) * 10f + s1 * 20f, y[1], 5);
        Assert.Equal(20f, y[2], 4);
        Assert.Equal((2 - s3) * 20f + (s3 - 1) * 40f, y[3], 4);
        Assert.Equal(40f, y[4]);
    }

    [Fact]
    public void Bilinear_ManyChannelsAndOddSizes_VersionsAgree()
    {
        var rng = new Random(8);
        foreach (var (c, ih, iw, oh, ow) in new[] { (3, 7, 9, 20, 13), (2, 64, 64, 200, 300), (1, 17, 5, 4, 31) })
        {
            RunAll(TestData.Floats(rng, c * ih * iw), c, ih, iw, oh, ow);
        }
    }

    [Fact]
    public void Nearest2x_ChannelsLastAndPlanar()
    {
        var rng = new Random(9);
        foreach (var (h, w, c) in new[] { (1, 1, 1), (2, 3, 1), (3, 19, 1), (4, 5, 3), (2, 2, 64) })
        {
            var x = TestData.Floats(rng, h * w * c);
            var expected = new float[4 * h * w * c];
            for (int oy = 0; oy < 2 * h; oy++)
                for (int ox = 0; ox < 2 * w; ox++)
                    for (int ch = 0; ch < c; ch++) expected[(oy * 2 * w + ox) * c + ch] = x[((oy / 2) * w + ox / 2) * c + ch];
            var reference = new float[expected.Length];
            NearestUpsample2x.Upsample_Reference(x, h, w, c, reference);
            Assert.Equal(expected, reference);
            var portable = new float[expected.Length];
            NearestUpsample2x.Upsample_Portable(x, h, w, c, portable);
            Assert.Equal(expected, portable);
            if (KernelIsa.UseAvx2Fma)
            {
                var avx = new float[expected.Length];
                NearestUpsample2x.Upsample_Avx2(x, h, w, c, avx);
                Assert.Equal(expected, avx);
            }
        }
    }
}
